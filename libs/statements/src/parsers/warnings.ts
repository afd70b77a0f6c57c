import type { NormalisedFile } from '../model';

/** One non-fatal finding attached to a NormalisedFile (no values in `message`). */
export type Warning = NonNullable<NormalisedFile['warnings']>[number];
