// A tolerant scanner for HCL (Terraform and tfvars): it recovers blocks,
// object values and their attributes with line numbers, which is all the rules
// need. Expressions are kept as text; no evaluation.

/**
 * An attribute `name = value` of an HCL block or object.
 *
 * @public
 */
export interface HclAttribute {
  value: string;
  line: number;
  /** Set when the value is an object `{ ... }`. */
  block?: HclBlock;
}

/**
 * A block (`resource "a" "b" { }`) or an object value (`gpu = { }`).
 *
 * @public
 */
export interface HclBlock {
  file: string;
  /** Text before the brace, for example `resource "aws_eks_node_group" "gpu"`. */
  header: string;
  line: number;
  attrs: Map<string, HclAttribute>;
  children: HclBlock[];
  parent?: HclBlock;
}

interface Frame {
  block: HclBlock;
  stmt: string;
  stmtLine: number;
  bracket: number;
}

const ATTR = /^"?([\w.\-/]+)"?\s*=\s*([\s\S]*)$/;

function finalize(frame: Frame) {
  const m = ATTR.exec(frame.stmt.trim());
  if (m && !m[2].startsWith('=') && m[2].trim()) {
    if (!frame.block.attrs.has(m[1])) {
      frame.block.attrs.set(m[1], { value: m[2].trim(), line: frame.stmtLine });
    }
  }
  frame.stmt = '';
}

/**
 * Parses HCL text into a tree of blocks.
 *
 * @public
 */
export function parseHcl(text: string, file: string): HclBlock {
  const root: HclBlock = {
    file,
    header: '',
    line: 1,
    attrs: new Map(),
    children: [],
  };
  const stack: Frame[] = [{ block: root, stmt: '', stmtLine: 1, bracket: 0 }];
  let line = 1;
  let i = 0;
  const top = () => stack[stack.length - 1];
  while (i < text.length) {
    const frame = top();
    const c = text[i];
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      for (let j = i; j < stop; j++) if (text[j] === '\n') line++;
      i = stop;
      continue;
    }
    if (c === '<' && text[i + 1] === '<') {
      const m = /^<<-?([A-Za-z_]\w*)[^\n]*\n/.exec(text.slice(i));
      if (m) {
        i += m[0].length;
        line++;
        const marker = m[1];
        while (i < text.length) {
          const nl = text.indexOf('\n', i);
          const lineText = text.slice(i, nl < 0 ? text.length : nl);
          i = nl < 0 ? text.length : nl;
          if (lineText.trim() === marker) break;
          if (nl >= 0) {
            i++;
            line++;
          }
        }
        frame.stmt += '"<heredoc>"';
        continue;
      }
    }
    if (c === '"') {
      let j = i + 1;
      let depth = 0;
      while (j < text.length) {
        if (text[j] === '\\') {
          j += 2;
          continue;
        }
        if (text[j] === '$' && text[j + 1] === '{') {
          depth++;
          j += 2;
          continue;
        }
        if (text[j] === '}' && depth > 0) depth--;
        else if (text[j] === '"' && depth === 0) break;
        if (text[j] === '\n') line++;
        j++;
      }
      frame.stmt += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '[' || c === '(') frame.bracket++;
    if (c === ']' || c === ')') frame.bracket--;
    if (c === '{') {
      const header = frame.stmt.trim();
      const block: HclBlock = {
        file,
        header: frame.bracket > 0 ? '' : header,
        line: frame.bracket > 0 ? line : frame.stmtLine,
        attrs: new Map(),
        children: [],
        parent: frame.block,
      };
      frame.block.children.push(block);
      const named = /^"?([\w.\-/]+)"?\s*=$/.exec(header);
      if (frame.bracket === 0 && named) {
        frame.block.attrs.set(named[1], {
          value: '{}',
          line: frame.stmtLine,
          block,
        });
      }
      if (frame.bracket === 0) frame.stmt = '';
      stack.push({ block, stmt: '', stmtLine: line, bracket: 0 });
      i++;
      continue;
    }
    if (c === '}' && stack.length > 1) {
      finalize(frame);
      stack.pop();
      const parent = top();
      if (parent.bracket > 0) parent.stmt += '{}';
      else parent.stmtLine = line;
      i++;
      continue;
    }
    if (c === ',' && frame.bracket <= 0 && stack.length > 1) {
      // One-line objects separate attributes with commas.
      finalize(frame);
      frame.stmtLine = line;
      i++;
      continue;
    }
    if (c === '\n') {
      line++;
      if (frame.bracket <= 0) {
        finalize(frame);
        frame.stmtLine = line;
      } else {
        frame.stmt += ' ';
      }
      i++;
      continue;
    }
    if (!frame.stmt.trim()) frame.stmtLine = line;
    frame.stmt += c;
    i++;
  }
  finalize(top());
  return root;
}

/**
 * Every block in the tree, depth first.
 *
 * @public
 */
export function allBlocks(root: HclBlock): HclBlock[] {
  return [root, ...root.children.flatMap(allBlocks)];
}

/**
 * The string literals in an expression, without quotes.
 *
 * @public
 */
export function stringLiterals(value: string): string[] {
  return [...value.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(m => m[1]);
}
