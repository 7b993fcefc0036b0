/** The format tests (formats-suite.ts) over the default engine, DuckDB. */
import { formatsSuite } from './formats-suite.js';

formatsSuite('DuckDB', []);
