import { ExtractContent } from './writers';
import { sampleCases, sampleHeader, SampleOptions, sampleTrailer } from './generator';

/** The sample extract as streamable content (each section regenerates its cases on demand). */
export function sampleContent(options: SampleOptions = {}): ExtractContent {
  return {
    header: sampleHeader(options),
    persons: function* () {
      for (const c of sampleCases(options)) yield c.person;
    },
    payees: function* () {
      for (const c of sampleCases(options)) yield c.payee;
    },
    directPayments: function* () {
      for (const c of sampleCases(options)) yield c.directPayment;
    },
    trailer: sampleTrailer(options),
  };
}
