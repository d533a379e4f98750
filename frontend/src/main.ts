import { mount } from 'svelte';
import App from './App.svelte';
import { i18n } from './lib/i18n/i18n.svelte';
import { session } from './lib/session/session.svelte';
import './app.css';

i18n.applyToDocument();
// Continue the session of an earlier visit; requests wait for this.
void session.start();

const target = document.getElementById('app');
if (!target) throw new Error('The page has no #app element.');

export default mount(App, { target });
