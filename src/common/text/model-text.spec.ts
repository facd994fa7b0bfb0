import { lineForModel, textForModel } from './model-text';

describe('text for a model', () => {
  it.each([
    ['the right-to-left override and its pop', 'Pa\u202eintball\u202c', 'Paintball'],
    ['the embeddings and marks', '\u202aa\u202bb\u200ec\u200fd', 'abcd'],
    ['the isolates', '\u2066x\u2067y\u2068z\u2069', 'xyz'],
    ['ESC sequences and other C0 controls', 'red\u001b[31m text\u0007\u0000', 'red[31m text'],
    ['C1 controls and DEL', 'a\u0085b\u009bc\u007f', 'abc'],
    ['zero-width characters', 'zero\u200bwidth\u200d', 'zerowidth'],
  ])('removes %s', (_label, input, expected) => {
    expect(textForModel(input)).toBe(expected);
  });

  it('keeps tabs and line breaks in text, and everything printable', () => {
    expect(textForModel('# Title\n\n\tIndented — 名前 🎯\r\n')).toBe('# Title\n\n\tIndented — 名前 🎯\n');
  });

  it('makes a one-line value of a title, bounded', () => {
    expect(lineForModel('  Masks\n\tand\u202e goggles  ')).toBe('Masks and goggles');
    expect(lineForModel('abcdef', 3)).toBe('abc');
    expect(lineForModel('hangar\u001b[31m closed\u0007now')).toBe('hangar [31m closed now');
  });
});
