// Ambient declarations every webview bundle shares.

/** esbuild imports CSS as text (loader `.css: text`); the page adopts it as a constructed style sheet. */
declare module '*.css' {
  const text: string;
  export default text;
}

interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** Provided by VS Code in a webview; may be called once per page. */
declare function acquireVsCodeApi(): VsCodeWebviewApi;
