/**
 * Round 13 of the project's own training lines (issue #15): the error classes of 2026-12-i (and the older development
 * sets) in general, written new (no line of classifier/data/ copied or paraphrased):
 * - the money of a return (a return received, scanned or awaiting inspection and no refund yet; a return refunded
 *   short or only for some of the items) is `return_request`, not `billing_refund`: the return is the topic;
 * - a few words of French, Spanish, Portuguese or German around a topic (cancel, return, log in, a person, where is
 *   my order, a product question, a greeting): the topic's intent as in English;
 * - changing the delivery address of an order already placed, or redirecting one sent to an old address, is
 *   `order_tracking` (README choice), also with a deadline or a move;
 * - items missing from a delivered order ("came without the …", "only got 2 of 3") are `order_tracking`;
 * - venting that names no topic ("so done with this", "sick of being ignored", "just need to vent") is `other`;
 * - terse sign-in trouble (2FA, codes by text after a new phone, an expired reset link, a lost e-mail, a reset mail
 *   that never comes with a deadline) and repeated break-ins are `account_security`;
 * - pausing, the state of a pause, a downgrade or a smaller plan, and "the renewal charge is fine, but cancel so there
 *   is no next one" are `cancellation`;
 * - a charge for something the customer never heard of, with "should I block my card" or "refund it", stays
 *   `account_security`;
 * - a usage question about something already bought ("bought the air fryer, can I …") is `product_question`;
 * - questions to the bot itself ("are you a robot", "write me a poem") are `other`.
 */
import type { IntentSource } from './corpus-templates.js';

export const ROUND13_SLOTS: Readonly<Record<string, readonly string[]>> = {
  r13Item: [
    'the trainers',
    'the rain jacket',
    'my headphones',
    'the pram',
    'the floor lamp',
    'two shirts',
    'the blender',
    'the rug',
    'the speaker',
    'the winter boots',
    'the kids bike',
    'the toaster',
  ],
  r13ReturnDone: [
    'you got {r13Item} back on Tuesday',
    'the courier scanned my return of {r13Item} at the drop-off point',
    'my parcel with {r13Item} reached your warehouse last week',
    'the return of {r13Item} shows as received',
    'I posted {r13Item} back twelve days ago and it was signed for',
    '{r13Item} went back to you and the tracking says delivered',
    'my return has been waiting on inspection for ages',
    'the returned {r13Item} got to you over a week ago',
    'I dropped {r13Item} at the locker and the return was logged',
  ],
  r13ReturnMoney: [
    'but the money for it is not on my card',
    'when will I see the refund for it',
    'still waiting for the money',
    'how long until the refund lands',
    'and nothing has been paid back yet',
    'where is my refund for the return',
    'is the refund stuck somewhere',
    'no credit has come through so far',
  ],
  r13ReturnShort: [
    'you paid back less than I spent on {r13Item}, why',
    'the return refund came in lower than the price of {r13Item}',
    'I sent back three items and only two were refunded',
    'the refund for {r13Item} is missing part of the amount',
    'why was my return refunded short by 15',
    'I got back only part of what {r13Item} cost after returning it',
    'returned the whole set but the refund only covers one piece',
  ],
  r13NotDescribed: [
    'is not what the listing said',
    'is a different material from the description',
    'does not match the photos on your site',
    'is missing a feature the page promised',
  ],
  r13Lang: [
    'je voudrais retourner {r13Item}',
    'quiero devolver {r13Item}',
    'ich möchte {r13Item} zurückschicken',
    'gostaria de devolver {r13Item}',
  ],
  r13AddrChange: [
    'I have to update where my order is going',
    'please send my open order to a different address',
    'the postcode on my order is wrong, can you fix it',
    'can my parcel go to my work address instead',
    'my order is heading to my previous flat, please redirect it',
    'I put the wrong house number on the order',
    'switch the shipping address on the order I just made',
    'the order still has my old address on it',
  ],
  r13AddrWhy: [
    'I move out on Thursday',
    'it has not shipped yet',
    'I typed it wrong at checkout',
    'I will not be at home next week',
    'before it leaves the warehouse please',
    'the profile has the new one but the order took the old one',
  ],
  r13Missing: [
    'the box came but the bread was not in it',
    'my delivery arrived without the cheese I paid for',
    'only four of the six bottles were in the parcel',
    'the shoes came but the laces set was missing',
    'one bag of my shopping never turned up with the rest',
    'the receipt lists a pack of batteries that is not in the box',
    'part of the delivery arrived, the rest has vanished',
    'the chicken was missing from the meal box',
  ],
  r13Vent: [
    'honestly I have had it with you lot',
    'worn out by the way things go here',
    'nothing ever goes right with you people',
    'can not believe how bad this has been',
    'I just want to let off some steam',
    'fed up, completely fed up',
    'this company drives me up the wall',
    'every time something, every single time',
    'no one listens to me here',
    'what a joke this all is',
  ],
  r13VentEnd: ['', '. whatever', '. ugh', '. just saying', '. sorry, long day', '. that is all'],
  r13Sign: [
    'my two step code',
    'the sms code for login',
    'the verification text',
    'the one time passcode',
    'the 2fa code',
    'the login code',
  ],
  r13SignFault: [
    'stopped coming since I got a new phone',
    'never arrives',
    'says invalid every time',
    'goes to a number I gave up',
    'does not work anymore',
  ],
  r13Pause: [
    'can I put my plan on pause for a month',
    'has my pause started yet',
    'if I pause, when is the next payment',
    'I want to skip the next two boxes',
    'please pause the subscription from next week',
    'is my plan paused or still running',
    'move me down to the cheaper plan',
    'I want fewer meals per week on my plan',
    'switch my membership from family to single',
    'drop me to the basic subscription',
  ],
  r13ChargeOk: [
    'the renewal payment this month is fine',
    'I accept the charge that already went out',
    "you don't need to refund anything",
    'this month I will pay as normal',
  ],
  r13CancelAsk: [
    'but I want to cancel so it does not renew again',
    'just stop it before the next one',
    'please end the plan from now on',
    'how do I cancel for the future',
  ],
  r13Strange: [
    'a payment from you for a service I never heard of',
    'a monthly debit from your company I do not recognise',
    'a charge on my statement for something I never bought',
    'money taken by you for a plan I never joined',
  ],
  r13StrangeAsk: [
    'should I block my card',
    'do I need a new card',
    'is my card compromised',
    'who set this up',
    'please refund it and find out how',
  ],
  r13Bought: [
    'I got the air fryer last month',
    'we bought your rice cooker on sale',
    'just received the standing desk',
    'I have had the kettle a week',
    'my new espresso machine came yesterday',
  ],
  r13Use: [
    'is it fine to use foil inside it',
    'what is the maximum weight it takes',
    'can it run on a timer',
    'which cleaning products are safe on it',
    'does it need descaling and how often',
    'can I leave it on overnight',
  ],
};

export const ROUND13_SOURCES: readonly IntentSource[] = [
  {
    intent: 'return_request',
    lines: [
      'my return got to you ages ago, how come the refund is still pending',
      'the refund for what I sent back is less than the receipt, please check',
      'return received but not refunded, why',
      'waiting on my money for the return, it was collected ten days ago',
      'you refunded the postage of my return but not the item itself',
      'the return was accepted so where is the money',
    ],
    keywords: ['return refund missing', 'refund for my return', 'return money not received'],
    templates: [
      '{r13ReturnDone}, {r13ReturnMoney}',
      '{r13ReturnDone} {r13ReturnMoney}. I need it before the weekend',
      '{r13ReturnShort}',
      '{r13ReturnShort}, can you look into it',
      'hi, {r13ReturnDone}, {r13ReturnMoney}? thanks',
      '{r13Item} {r13NotDescribed}, I want to send it back',
      '{r13Item} {r13NotDescribed}, how do I arrange collection',
      '{r13Lang}, it {r13NotDescribed}',
      '{r13Lang}, how do I get a label',
    ],
  },
  {
    intent: 'order_tracking',
    lines: [
      'need a new shipping address put on my pending order',
      'redirect my order to my new place',
      'où est ma commande, it was due monday',
      'dónde está mi pedido? still nothing',
      'wo ist meine bestellung, tracking shows nothing',
      'onde está meu pedido, please check',
    ],
    keywords: ['missing item in order', 'change delivery address order', 'item missing from delivery'],
    templates: [
      '{r13AddrChange}, {r13AddrWhy}',
      '{r13AddrChange}. {r13AddrWhy}. thanks',
      '{r13Missing}',
      '{r13Missing}, can you send what is missing',
      '{r13Missing}. is it coming separately',
    ],
  },
  {
    intent: 'other',
    lines: [
      'are you a real bot or a script',
      'is this an ai I am talking to',
      'write me a short story about a dog',
      'tell me a joke please',
      'bonjour, ça va',
      'hallo, wie geht es',
      'olá, tudo bem',
      'hola, buenos días',
      'my grandson is typing this for me, hello to whoever reads it',
      'sorry I snapped at you before, it has been a rough week',
    ],
    keywords: [],
    templates: ['{r13Vent}{r13VentEnd}', '{r13Vent}. {r13Vent}'],
  },
  {
    intent: 'account_security',
    lines: [
      '2fa broken',
      'two factor not working for me',
      'my account keeps getting broken into, how safe is your system',
      'the password reset link is always expired',
      'I no longer have the email on my account, how do I change it',
      'je n’arrive pas à me connecter à mon compte',
      'no puedo entrar en mi cuenta',
      'ich kann mich nicht anmelden',
      'não consigo acessar minha conta',
    ],
    keywords: ['2fa code', 'login code not arriving', 'reset link expired'],
    templates: [
      '{r13Sign} {r13SignFault}',
      '{r13Sign} {r13SignFault}, I need to get in today',
      'the reset email never comes and I travel tomorrow, {r13Sign} {r13SignFault} too',
      '{r13Strange}, {r13StrangeAsk}',
    ],
  },
  {
    intent: 'cancellation',
    lines: [
      'je veux annuler mon abonnement',
      'por favor cancelen mi plan mensual',
      'ich möchte mein abo kündigen',
      'quero cancelar minha assinatura',
      'pausing should be easy, just pause my plan',
    ],
    keywords: ['pause subscription', 'downgrade plan', 'pause my plan'],
    templates: ['{r13Pause}', '{r13Pause}, thanks', '{r13ChargeOk}, {r13CancelAsk}'],
  },
  {
    intent: 'human_agent',
    lines: [
      'je voudrais parler à quelqu’un',
      'quiero hablar con una persona',
      'ich möchte mit einem menschen sprechen',
      'quero falar com um atendente',
    ],
    keywords: [],
    templates: [],
  },
  {
    intent: 'product_question',
    lines: [
      'das kabel ist kompatibel mit iphone?',
      'esta crema es para piel seca?',
      'ce sac est en cuir véritable?',
      'which phones does this stand fit, I travel on friday',
    ],
    keywords: [],
    templates: ['{r13Bought}, {r13Use}', '{r13Bought}. {r13Use}?'],
  },
  {
    intent: 'billing_refund',
    lines: [
      'two payments this month and nobody can tell me why, my patience is gone',
      'four charges in one week, no explanation at all',
    ],
    keywords: [],
    templates: [],
  },
];
