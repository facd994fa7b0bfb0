import { keywordTerms, normalizedQuestion } from './keyword-terms';

describe('keywordTerms', () => {
  it('ORs the words of a question, without question words or repeats', () => {
    expect(keywordTerms('What are the mask rules at a scenario game? Mask!')).toBe('mask | rules | scenario | game');
  });

  it('keeps only letters and digits, so tsquery syntax in the question is inert', () => {
    expect(keywordTerms("a & !b | c:* <-> 'd' (280)")).toBe('b | c | d | 280');
    expect(keywordTerms('règles du casque 🎯')).toBe('règles | du | casque');
  });

  it('is empty when no word is left', () => {
    expect(keywordTerms('how do I?')).toBe('');
    expect(keywordTerms('!!! ???')).toBe('');
  });

  it('bounds the number and the length of terms', () => {
    const many = Array.from({ length: 100 }, (_, index) => `word${index}`).join(' ');
    expect(keywordTerms(many).split(' | ')).toHaveLength(32);
    expect(keywordTerms('z'.repeat(500))).toBe('z'.repeat(64));
  });
});

describe('normalizedQuestion', () => {
  it('ignores case, spacing and unicode compatibility forms', () => {
    expect(normalizedQuestion('  Mask   RULES\tat ｓｃｅｎａｒｉｏ ')).toBe('mask rules at scenario');
  });
});
