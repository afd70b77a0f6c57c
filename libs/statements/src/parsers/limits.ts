/**
 * Input limits of the statement and card parsers, in one place. A file that goes past one is
 * rejected (quarantined) with a ParseError naming the line/record and field, never the value.
 * The defaults are far above anything a bank or card provider sends; each can be overridden
 * through the environment (`DPB_PARSER_*`, docs/configuration.md) via `parserLimitsFromEnv`.
 */
export interface ParserLimits {
  /** Longest physical line of an MT940 or BAI2 file, and of a card CSV line (characters). */
  maxLineChars: number;
  /** Longest field: an XML text node, an MT940 tag's content, a BAI2 field, a CSV column value. */
  maxFieldChars: number;
  /** Deepest element nesting in a camt document. */
  maxXmlDepth: number;
  /** Longest XML attribute value (or name). */
  maxXmlAttributeChars: number;
  /** Most elements in one camt document. */
  maxXmlElements: number;
}

export const DEFAULT_PARSER_LIMITS: Readonly<ParserLimits> = Object.freeze({
  maxLineChars: 4096,
  maxFieldChars: 4096,
  maxXmlDepth: 64,
  maxXmlAttributeChars: 2048,
  maxXmlElements: 50_000_000,
});

/** The defaults with the given overrides (undefined values keep the default). */
export function parserLimits(over: Partial<ParserLimits> = {}): ParserLimits {
  const out = { ...DEFAULT_PARSER_LIMITS };
  for (const k of Object.keys(out) as (keyof ParserLimits)[]) {
    const v = over[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** The environment variables that override the limits (validated in the platform's EnvSchema). */
export interface ParserLimitsEnv {
  DPB_PARSER_MAX_LINE_CHARS?: number;
  DPB_PARSER_MAX_FIELD_CHARS?: number;
  DPB_PARSER_MAX_XML_DEPTH?: number;
  DPB_PARSER_MAX_XML_ATTRIBUTE_CHARS?: number;
  DPB_PARSER_MAX_XML_ELEMENTS?: number;
}

export function parserLimitsFromEnv(env: ParserLimitsEnv): ParserLimits {
  return parserLimits({
    maxLineChars: env.DPB_PARSER_MAX_LINE_CHARS,
    maxFieldChars: env.DPB_PARSER_MAX_FIELD_CHARS,
    maxXmlDepth: env.DPB_PARSER_MAX_XML_DEPTH,
    maxXmlAttributeChars: env.DPB_PARSER_MAX_XML_ATTRIBUTE_CHARS,
    maxXmlElements: env.DPB_PARSER_MAX_XML_ELEMENTS,
  });
}
