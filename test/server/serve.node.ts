/** The server suite (serve-suite.ts) over the default engine, DuckDB. */
import { serve } from './helpers.js';
import { serveSuite } from './serve-suite.js';

serveSuite({ label: 'DuckDB', start: (path) => serve(['--events', path]) });
