import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { setupI18n } from './lib/i18n';

// Tells React the tests wrap updates in act().
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
setupI18n('en');
afterEach(cleanup);
