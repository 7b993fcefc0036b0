/** The format tests of DuckDB (../formats-suite.ts) run again with `--engine chdb`. */
import { formatsSuite } from '../formats-suite.js';

formatsSuite('chDB, --engine chdb', ['--engine', 'chdb']);
