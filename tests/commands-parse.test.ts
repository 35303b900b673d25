// Commands: how typed text and card clicks are understood.
import { describe, expect, it } from 'vitest';
import { parseCardAction, parseTextCommand } from '../src/commands/parse.ts';

describe('text commands', () => {
  it.each([
    ['帮助', { kind: 'help' }],
    ['@_user_1 帮助', { kind: 'help' }],
    ['　我是谁？', { kind: 'whoami' }],
    ['我是谁', { kind: 'whoami' }],
    ['登记问题。', { kind: 'problem.open' }],
    ['@_user_1  登记问题', { kind: 'problem.open' }],
    ['今天天气怎么样', { kind: 'help', unknownText: '今天天气怎么样' }],
    ['', { kind: 'help' }],
  ])('%j → %j', (text, cmd) => {
    expect(parseTextCommand(text)).toEqual(cmd);
  });
});

describe('card actions', () => {
  it('routes by the action name in the value, not the button text', () => {
    expect(parseCardAction({ value: { a: 'problem.submit', v: 1 }, formValue: { title: '用工', description: '缺工' } })).toEqual({
      kind: 'problem.submit', form: { title: '用工', enterprise: '', description: '缺工' },
    });
  });

  it('answers bad form input with the reason and no command', () => {
    expect(parseCardAction({ value: { a: 'problem.submit', v: 1 }, formValue: { title: '', description: '缺工' } })).toEqual({
      kind: 'invalid', message: '请填写问题标题',
    });
  });

  it('refuses unknown actions and outdated card versions', () => {
    expect(parseCardAction({ value: { a: 'nope', v: 1 } })).toBeNull();
    expect(parseCardAction({ value: { a: 'problem.submit', v: 0 } })).toBeNull();
    expect(parseCardAction({ value: {} })).toBeNull();
  });
});
