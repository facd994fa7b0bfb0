import { join } from 'node:path';

/** Squad's demo help center, shipped with the code (`corpus/help-center`, beside `src` and `dist`). */
export const DEMO_CORPUS_DIR = join(__dirname, '..', '..', 'corpus', 'help-center');
