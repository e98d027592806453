// The Todo console: a Preact app the gateway serves at `/` (tools/build/console.mjs compiles it).
import { render } from 'preact';
import { App } from './app.tsx';
import './styles.css';

const root = document.getElementById('app');
// The gateway says whether it offers dev sign-in to this caller (a data attribute: the CSP forbids inline scripts).
if (root) render(<App devLogin={document.body.dataset.devLogin === 'on'} />, root);
