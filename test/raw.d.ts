// Vite's `?raw` imports: a file's text (test/security-headers.test.ts reads client/public/_headers).
declare module "*?raw" {
  const text: string;
  export default text;
}
