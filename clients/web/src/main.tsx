import '@fontsource/inter/latin-400.css';
import '@fontsource/inter/latin-600.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { setupI18n } from './lib/i18n';
import './styles.css';

setupI18n();
// Simplified Chinese, offline too: Noto Sans SC, one weight (bold is synthesized), in ~100
// unicode-range slices of which the browser fetches only those a page needs. Its 100 kB of
// @font-face rules come in their own stylesheet, off the first paint's critical path.
void import('@fontsource/noto-sans-sc/400.css');
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
