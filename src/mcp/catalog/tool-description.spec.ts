import { exampleArguments } from './tool-description';

describe('exampleArguments', () => {
  it('reads the JSON example a description ends with', () => {
    expect(exampleArguments('Returns one player. Example: {"player_id": 42}.')).toEqual({ player_id: 42 });
    expect(exampleArguments('Lists events.\nExample: {"region": "Texas", "limit": 5}')).toEqual({ region: 'Texas', limit: 5 });
    expect(exampleArguments('Lists. Example: {"limit": 5}. A page carries at most 256 kB.')).toEqual({ limit: 5 });
    expect(exampleArguments('Example: {"a": {"b": 1}}.')).toEqual({ a: { b: 1 } });
  });

  it('finds none when the description has no example, or one that is not a JSON object', () => {
    expect(exampleArguments('Returns one player.')).toBeUndefined();
    expect(exampleArguments('Example: {player_id: 42}.')).toBeUndefined();
    expect(exampleArguments('Example: {"a": 1} and more text')).toBeUndefined();
  });
});
