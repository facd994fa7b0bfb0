/** One passage of a document, as stored and searched. */
export interface Chunk {
  /** The headings above the passage, outermost first (the document title leads). */
  readonly headingPath: readonly string[];
  readonly text: string;
}

/** A markdown file read as a document: what ingestion stores about it. */
export interface ParsedDocument {
  readonly title: string;
  /** From the front matter's `category:`, when it has one. */
  readonly category: string | undefined;
  readonly chunks: readonly Chunk[];
}

export interface ChunkBounds {
  /** The longest passage, in characters. */
  readonly maxChars: number;
  /** How much of a cut passage's end the next one repeats, in characters. */
  readonly overlapChars: number;
}

export const DEFAULT_CHUNK_BOUNDS: ChunkBounds = { maxChars: 1200, overlapChars: 150 };

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;
const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

function frontMatterOf(text: string): { fields: Map<string, string>; body: string } {
  const match = FRONT_MATTER.exec(text);
  if (match === null) {
    return { fields: new Map(), body: text };
  }
  const fields = new Map<string, string>();
  for (const line of (match[1] ?? '').split(/\r?\n/)) {
    const field = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (field?.[1] !== undefined) {
      fields.set(field[1].toLowerCase(), (field[2] ?? '').trim().replace(/^(["'])(.*)\1$/, '$2'));
    }
  }
  return { fields, body: text.slice(match[0].length) };
}

interface Section {
  readonly path: string[];
  readonly lines: string[];
}

/** Splits the body at headings (never inside a fenced code block), each section keeping its heading path. */
function sectionsOf(body: string, title: string): Section[] {
  const sections: Section[] = [];
  const stack: { level: number; text: string }[] = [];
  let current: Section = { path: [title], lines: [] };
  let fenced = false;
  for (const line of body.split(/\r?\n/)) {
    if (FENCE.test(line)) {
      fenced = !fenced;
    }
    const heading = fenced ? null : HEADING.exec(line);
    if (heading === null) {
      current.lines.push(line);
      continue;
    }
    sections.push(current);
    const level = heading[1]?.length ?? 1;
    const text = heading[2] ?? '';
    while (stack.length > 0 && (stack.at(-1)?.level ?? 0) >= level) {
      stack.pop();
    }
    stack.push({ level, text });
    // The level-one heading is the title itself; deeper headings hang below it.
    const below = stack.filter((entry) => entry.level > 1).map((entry) => entry.text);
    current = { path: [title, ...below], lines: [] };
  }
  sections.push(current);
  return sections;
}

/** Cuts a long text at paragraph, then sentence, then word boundaries, each piece at most `max` long. */
function pieces(text: string, max: number): string[] {
  if (text.length <= max) {
    return [text];
  }
  for (const [separator, glue] of [[/\n\s*\n/, '\n\n'], [/(?<=[.!?])\s+/, ' '], [/\s+/, ' ']] as const) {
    const parts = text.split(separator).filter((part) => part.trim() !== '');
    if (parts.length > 1) {
      const out: string[] = [];
      let piece = '';
      for (const part of parts.flatMap((one) => pieces(one, max))) {
        const joined = piece === '' ? part : piece + glue + part;
        if (joined.length > max && piece !== '') {
          out.push(piece);
          piece = part;
        } else {
          piece = joined;
        }
      }
      out.push(piece);
      return out;
    }
  }
  const out: string[] = [];
  for (let start = 0; start < text.length; start += max) {
    out.push(text.slice(start, start + max));
  }
  return out;
}

/** The end of a passage, started at a word boundary, that the next passage repeats. */
function tailOf(text: string, chars: number): string {
  if (chars <= 0 || text.length <= chars) {
    return chars <= 0 ? '' : text;
  }
  const tail = text.slice(-chars);
  const space = tail.search(/\s/);
  return space === -1 ? tail : tail.slice(space + 1);
}

/**
 * Reads a markdown document: title from the first `# ` heading (else `fallbackTitle`), category
 * from front matter, and passages that follow the headings, each within the size bound; a section
 * cut into several passages repeats a little of each passage's end at the start of the next.
 */
export function parseMarkdown(text: string, fallbackTitle: string, bounds: ChunkBounds = DEFAULT_CHUNK_BOUNDS): ParsedDocument {
  const { fields, body } = frontMatterOf(text.replace(/^\uFEFF/, ''));
  const firstHeading = /^#\s+(.+?)\s*#*\s*$/m.exec(body);
  const title = (firstHeading?.[1] ?? fields.get('title') ?? fallbackTitle).trim();
  const category = fields.get('category') || undefined;
  const chunks: Chunk[] = [];
  for (const section of sectionsOf(body, title)) {
    const sectionText = section.lines.join('\n').trim();
    if (sectionText === '') {
      continue;
    }
    // Room for the repeated words and the space joining them to the passage.
    const room = Math.max(bounds.maxChars - (bounds.overlapChars > 0 ? bounds.overlapChars + 1 : 0), Math.ceil(bounds.maxChars / 2));
    let previous = '';
    for (const piece of pieces(sectionText, room)) {
      const overlap = tailOf(previous, bounds.overlapChars);
      chunks.push({ headingPath: section.path, text: overlap === '' ? piece : `${overlap} ${piece}` });
      previous = piece;
    }
  }
  return { title, category, chunks };
}
