/** Where the console's files are served from (the page itself is `/`). */
export const CONSOLE_ASSET_PATH = '/console/assets';
/** Development sign-in (DEV_LOGIN=1, loopback callers only): POST { userId, admin? } → a token. */
export const DEV_TOKEN_PATH = '/console/dev-token';

/**
 * Only this origin, and no inline script or style: the page loads its one script and one stylesheet from
 * the gateway and talks to nothing but the gateway's API.
 */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * The console's HTML shell. What the page needs to know from the server travels as data attributes
 * (a CSP without 'unsafe-inline' forbids an inline script): whether dev sign-in is offered to this caller.
 */
export function consolePage(options: { devLogin: boolean }): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Todo console</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="${CONSOLE_ASSET_PATH}/app.css">
  <script type="module" src="${CONSOLE_ASSET_PATH}/app.js"></script>
</head>
<body data-dev-login="${options.devLogin ? 'on' : 'off'}">
  <noscript>The Todo console needs JavaScript. The API is documented at /api/docs.</noscript>
  <div id="app"></div>
</body>
</html>
`;
}
