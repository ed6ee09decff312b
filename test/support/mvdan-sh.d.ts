// mvdan-sh ships no typings; the differential test uses a small, dynamically typed part of its API.
declare module 'mvdan-sh' {
  export const syntax: any;
}
