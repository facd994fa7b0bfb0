import { parseMarkdown } from './markdown-chunks';

describe('parseMarkdown', () => {
  it('takes the title from the first level-one heading and the category from front matter', () => {
    const doc = parseMarkdown('---\ncategory: "Safety"\nauthor: x\n---\n# Masks\n\nAlways on.\n', 'masks');
    expect(doc.title).toBe('Masks');
    expect(doc.category).toBe('Safety');
    expect(doc.chunks).toEqual([{ headingPath: ['Masks'], text: 'Always on.' }]);
  });

  it('falls back to the file name without a heading, and has no category without front matter', () => {
    const doc = parseMarkdown('Just text.', 'notes');
    expect(doc).toEqual({ title: 'notes', category: undefined, chunks: [{ headingPath: ['notes'], text: 'Just text.' }] });
  });

  it('gives each section its heading path, dropping headings of the same or a deeper level', () => {
    const doc = parseMarkdown('# Rules\nIntro.\n## Speedball\nFast.\n### Penalties\nMajor.\n## Woodsball\nSlow.\n', 'x');
    expect(doc.chunks.map((chunk) => [chunk.headingPath.join(' › '), chunk.text])).toEqual([
      ['Rules', 'Intro.'],
      ['Rules › Speedball', 'Fast.'],
      ['Rules › Speedball › Penalties', 'Major.'],
      ['Rules › Woodsball', 'Slow.'],
    ]);
  });

  it('never reads a heading inside a fenced code block', () => {
    const doc = parseMarkdown('# Doc\n## Setup\n```sh\n# not a heading\nnpm run ingest\n```\n', 'x');
    expect(doc.chunks).toHaveLength(1);
    expect(doc.chunks[0]!.headingPath).toEqual(['Doc', 'Setup']);
    expect(doc.chunks[0]!.text).toContain('# not a heading');
  });

  it('cuts a long section within the bound, each piece repeating the end of the one before', () => {
    const sentences = Array.from({ length: 60 }, (_, index) => `Sentence number ${index} talks about paint.`);
    const doc = parseMarkdown(`# Long\n\n${sentences.join(' ')}`, 'x', { maxChars: 300, overlapChars: 60 });
    expect(doc.chunks.length).toBeGreaterThan(5);
    for (const chunk of doc.chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(300);
    }
    const [first, second] = doc.chunks;
    // The second passage opens with the last words (30–60 characters) of the first.
    const repeated = [...Array(61).keys()].filter((length) => length > 0 && first!.text.endsWith(second!.text.slice(0, length)));
    expect(Math.max(...repeated)).toBeGreaterThanOrEqual(30);
    // Every sentence survives the cutting.
    const all = doc.chunks.map((chunk) => chunk.text).join(' ');
    for (const sentence of sentences) {
      expect(all).toContain(sentence);
    }
  });

  it('cuts a single word longer than the bound into pieces', () => {
    const doc = parseMarkdown(`# Big\n\n${'x'.repeat(1000)}`, 'x', { maxChars: 300, overlapChars: 0 });
    expect(doc.chunks.map((chunk) => chunk.text.length)).toEqual([300, 300, 300, 100]);
  });

  it('skips empty sections and keeps unicode as it is', () => {
    const doc = parseMarkdown('\uFEFF# Équipe 🎯\n## Empty\n\n## Règles\nCasque obligatoire — toujours.\n', 'x');
    expect(doc.title).toBe('Équipe 🎯');
    expect(doc.chunks).toEqual([{ headingPath: ['Équipe 🎯', 'Règles'], text: 'Casque obligatoire — toujours.' }]);
  });
});
