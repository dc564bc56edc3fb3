/**
 * Sends the page's own failures to the host (which logs them in the Output channel): uncaught
 * errors, unhandled rejections and CSP violations — a blocked resource means part of the page
 * does not work.
 */
export function reportPageErrors(report: (message: string) => void): void {
  window.addEventListener('error', (e) => report(String(e.message)));
  window.addEventListener('unhandledrejection', (e) => report(String(e.reason)));
  document.addEventListener('securitypolicyviolation', (e) => report(`blocked by the content security policy: ${e.violatedDirective} ${e.blockedURI}`));
}
