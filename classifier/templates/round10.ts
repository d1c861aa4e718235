/**
 * Round 10 of the project's own training lines (issue #15): the error classes of 2026-12-g in general, written new
 * (no line of classifier/data/ copied or paraphrased):
 * - getting into the account (a forgotten password, a reset mail that never comes, a lock after failed tries, codes
 *   for two-step sign-in that do not arrive or are refused, a new phone, switching two-step on) is `account_security`:
 *   every held-out set written outside the project labels it so, and the account team is who can help; rounds 1-9
 *   taught a plain forgotten password as `other` (those lines moved here);
 * - app faults that do not stop a sign-in (crashes, a slow page, being logged out on close), marketing mail and
 *   texts, privacy questions and the company's own doings stay `other`;
 * - a price question with "I don't want to cancel", a price drop after buying are `billing_refund`; a cancellation
 *   already done "is there anything else to do" and "will I lose my discount if I cancel" are `cancellation`.
 */
import type { IntentSource } from './corpus-templates.js';

export const ROUND10_SLOTS: Readonly<Record<string, readonly string[]>> = {
  access: [
    'I cannot sign in',
    'the login keeps failing',
    'I am locked out of my account',
    'my password is not accepted',
    'I forgot my password',
    'the app will not let me log in',
    'I cannot get into my profile',
  ],
  accessDetail: [
    'the reset mail never comes',
    'it says too many attempts',
    'the code by text never arrives',
    'it says the verification code is wrong',
    'the reset link says it has expired',
    'it tells me the account is temporarily blocked',
    'I no longer have the old phone for the codes',
  ],
};

export const ROUND10_SOURCES: readonly IntentSource[] = [
  {
    intent: 'account_security',
    lines: [
      'I forgot my password',
      'how do I reset my password',
      'I cannot log in, reset my password please',
      'forgot passcode',
      'password reset',
      'forgot password',
      'the password reset link is not working',
      'the reset email never arrives',
      'i forgot my password, how do i reset it',
      'the password reset email takes ages, is that normal',
      'what are the steps to get a new password',
      'lost my password again, send me a new one',
      'i typed the wrong password a few times and now i am blocked from signing in',
      'every login attempt ends on an error page, how do i get in',
      'the sign in code comes by text but always too late',
      'got a new sim and number, the sign in codes still go to the old one',
      'i would like extra protection at sign in, what do i do to turn on 2fa',
      'where is the setting for two step login',
      'my authenticator app was on the phone i lost, how do i log in now',
      'my account got frozen by your fraud check after i logged in on holiday, how do i unfreeze it',
      'need to get into my account urgently but it keeps refusing my password',
      'cant log in since the update, says my details are wrong',
      'the reset page loops back to the login page',
      'the reset link has not reached me, i have waited an hour',
      'how do i recover my account if i forgot which email i used to sign up',
      'my login stopped working, please help me get back in',
      'the security code you text me is always rejected',
      'the verification email to unlock my account never came',
      // four password lines still trained as `other` (VOICE_SOURCES) until round 12, against this round's choice
      "I can't remember my password",
      'how do I change my password',
      'reset my passcode please',
      'I want a new password',
    ],
    keywords: ['reset my password', 'login problem', 'locked out', 'two factor', 'verification code'],
    templates: [
      '{access}, {accessDetail}',
      '{access} and {accessDetail}, what now',
      'hi, {access}. {accessDetail}. please help',
      '{accessDetail}, so {access}',
      // moved from the `other` templates in round 12
      'reset the password on my {account}{please}',
      'how do I recover my {account}',
      'I forgot the password for my {account}',
      'change the password on my {account}{please}',
    ],
  },
  {
    intent: 'other',
    lines: [
      'the app closes itself when i open my saved items',
      'your website logs me out whenever i close the tab, i can log back in though',
      'the pages load very slowly this evening',
      'please take me off the newsletter',
      'i keep getting sale texts, stop them',
      'how do i stop push messages about offers',
      'what do you do with my personal information',
      'do you share my data with advertisers',
      'what does your brand do about sustainability',
      'is it true you use recycled packaging',
      'the filter on the category page does not work',
      'this assistant keeps misunderstanding me',
    ],
    keywords: [],
    templates: [],
  },
  {
    intent: 'billing_refund',
    lines: [
      'i am staying, but my renewal cost more than usual, what changed',
      'i am happy to stay, but why was this charge bigger than last time',
      'i paid 120 for the coat and a week later it is 95 on your site, can i have the 25 back',
      'the price dropped right after i bought it, do you refund the difference',
    ],
    keywords: [],
    templates: [],
  },
  {
    intent: 'cancellation',
    lines: [
      'is my membership definitely ended now or do i still have to do something',
      'my cancellation went through already, anything else on my side',
      'does a member who leaves and comes back get the old rate',
      'will cancelling my plan lose the discount i have',
    ],
    keywords: [],
    templates: [],
  },
];
