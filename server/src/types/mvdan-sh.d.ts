// mvdan-sh ships no typings; the engine uses a small, dynamically typed part of its API.
declare module 'mvdan-sh' {
  export const syntax: any;
}
