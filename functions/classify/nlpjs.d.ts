/** The part of NLP.js's English pipeline this project uses (the package ships no types). */
declare module '@nlpjs/lang-en-min' {
  export class NormalizerEn {
    normalize(text: string): string;
  }
  export class TokenizerEn {
    tokenize(text: string, normalize?: boolean): string[];
  }
  export class StemmerEn {
    stemWord(word: string): string;
  }
}
