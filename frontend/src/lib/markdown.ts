// A small markdown reader for previews of descriptions and comments. It never produces
// HTML: it returns a tree of plain objects that Markdown.svelte turns into elements, with
// all text as text nodes, so nothing a user wrote can become markup or script. Links keep
// only http, https and mailto addresses. It covers what people write in tasks: paragraphs,
// headings, lists (with task boxes), quotes, code, rules, emphasis, strikethrough, inline
// code and links, close to what the portal's server-side renderer shows.

export type Inline =
  | { t: "text"; text: string }
  | { t: "code"; text: string }
  | { t: "br" }
  | { t: "strong" | "em" | "del" | "span"; children: Inline[] }
  | { t: "link"; href: string; children: Inline[] };

export type Block =
  | { t: "p"; children: Inline[] }
  | { t: "h"; level: number; children: Inline[] }
  | { t: "pre"; text: string }
  | { t: "hr" }
  | { t: "quote"; blocks: Block[] }
  | { t: "list"; ordered: boolean; start: number; items: ListItem[] };

export interface ListItem {
  checked: boolean | null;
  blocks: Block[];
}

const maxDepth = 8;

const fence = /^ {0,3}(`{3,}|~{3,})/;
const heading = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$/;
const rule = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const quote = /^ {0,3}> ?/;
const bullet = /^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+|$)/;

/** parse reads markdown source into blocks. */
export function parse(src: string): Block[] {
  return blocks(src.replace(/\r\n?/g, "\n").split("\n"), 0);
}

function blocks(lines: string[], depth: number): Block[] {
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === "") {
      i++;
      continue;
    }
    const f = fence.exec(line);
    if (f) {
      const marker = f[1];
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trimStart().startsWith(marker)) body.push(lines[i++]);
      i++; // the closing fence, or the end
      out.push({ t: "pre", text: body.join("\n") });
      continue;
    }
    const h = heading.exec(line);
    if (h) {
      out.push({ t: "h", level: h[1].length, children: inline(h[2] ?? "", depth) });
      i++;
      continue;
    }
    if (rule.test(line)) {
      out.push({ t: "hr" });
      i++;
      continue;
    }
    if (/^( {4}|\t)/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && (/^( {4}|\t)/.test(lines[i]) || lines[i].trim() === "")) {
        body.push(lines[i++].replace(/^( {4}|\t)/, ""));
      }
      out.push({ t: "pre", text: body.join("\n").replace(/\n+$/, "") });
      continue;
    }
    if (quote.test(line)) {
      const body: string[] = [];
      while (i < lines.length && lines[i].trim() !== "") body.push(lines[i++].replace(quote, ""));
      out.push({ t: "quote", blocks: depth < maxDepth ? blocks(body, depth + 1) : [] });
      continue;
    }
    if (bullet.test(line)) {
      const [list, next] = readList(lines, i, depth);
      out.push(list);
      i = next;
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i].trim() !== "" && !startsBlock(lines[i])) para.push(lines[i++]);
    if (para.length === 0) para.push(lines[i++]);
    out.push({ t: "p", children: inline(para.join("\n").trim(), depth) });
  }
  return out;
}

function startsBlock(line: string): boolean {
  return fence.test(line) || heading.test(line) || rule.test(line) || quote.test(line) || bullet.test(line);
}

function readList(lines: string[], start: number, depth: number): [Block, number] {
  const first = bullet.exec(lines[start])!;
  const ordered = /\d/.test(first[2]);
  const items: ListItem[] = [];
  let i = start;
  while (i < lines.length) {
    const m = bullet.exec(lines[i]);
    if (!m || /\d/.test(m[2]) !== ordered) break;
    const indent = m[0].length;
    const body = [lines[i].slice(indent)];
    i++;
    while (i < lines.length) {
      const line = lines[i];
      if (line.trim() === "") {
        if (i + 1 < lines.length && /^\s{2,}\S/.test(lines[i + 1])) {
          body.push("");
          i++;
          continue;
        }
        break;
      }
      if (bullet.test(line) && !/^\s{2,}/.test(line)) break;
      body.push(line.replace(/^\s{1,4}/, ""));
      i++;
    }
    let checked: boolean | null = null;
    const box = /^\[([ xX])\][ \t]+/.exec(body[0]);
    if (box) {
      checked = box[1] !== " ";
      body[0] = body[0].slice(box[0].length);
    }
    items.push({ checked, blocks: depth < maxDepth ? blocks(body, depth + 1) : [] });
  }
  return [{ t: "list", ordered, start: ordered ? parseInt(first[2], 10) : 1, items }, i];
}

const punctuation = /[!-/:-@[-`{-~]/;

/** inline reads the text of one block. */
export function inline(src: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let text = "";
  const flush = () => {
    if (text) out.push({ t: "text", text });
    text = "";
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === "\\" && i + 1 < src.length) {
      if (src[i + 1] === "\n") {
        flush();
        out.push({ t: "br" });
        i += 2;
        continue;
      }
      if (punctuation.test(src[i + 1])) {
        text += src[i + 1];
        i += 2;
        continue;
      }
    }
    if (c === "\n") {
      if (text.endsWith("  ")) {
        text = text.trimEnd();
        flush();
        out.push({ t: "br" });
      } else {
        text = text.trimEnd() + " ";
      }
      i++;
      while (src[i] === " ") i++;
      continue;
    }
    if (c === "`") {
      const run = /^`+/.exec(src.slice(i))![0];
      const close = src.indexOf(run, i + run.length);
      if (close > 0) {
        flush();
        out.push({ t: "code", text: src.slice(i + run.length, close).replace(/\n/g, " ").trim() });
        i = close + run.length;
        continue;
      }
      text += run;
      i += run.length;
      continue;
    }
    const emphasis = depth < maxDepth ? readEmphasis(src, i, depth) : null;
    if (emphasis) {
      flush();
      out.push(emphasis.node);
      i = emphasis.end;
      continue;
    }
    const link = depth < maxDepth ? readLink(src, i, depth) : null;
    if (link) {
      flush();
      out.push(link.node);
      i = link.end;
      continue;
    }
    const auto = readAutolink(src, i);
    if (auto) {
      flush();
      out.push(auto.node);
      i = auto.end;
      continue;
    }
    text += c;
    i++;
  }
  flush();
  return out;
}

type Read = { node: Inline; end: number } | null;

function readEmphasis(src: string, i: number, depth: number): Read {
  for (const [marker, t] of [
    ["**", "strong"],
    ["__", "strong"],
    ["~~", "del"],
    ["*", "em"],
    ["_", "em"],
  ] as const) {
    if (!src.startsWith(marker, i)) continue;
    const after = src[i + marker.length];
    if (after === undefined || /\s/.test(after)) continue;
    if (marker[0] === "_" && i > 0 && /\w/.test(src[i - 1])) continue; // snake_case
    let close = src.indexOf(marker, i + marker.length + 1);
    while (close > 0) {
      const before = src[close - 1];
      const next = src[close + marker.length];
      const okBefore = !/\s/.test(before);
      const okAfter = marker[0] !== "_" || next === undefined || !/\w/.test(next);
      const doubled = marker.length === 1 && next === marker; // "**" is not a closing "*"
      if (okBefore && okAfter && !doubled) break;
      close = src.indexOf(marker, close + (doubled ? 2 : 1));
    }
    if (close < 0) continue;
    return {
      node: { t, children: inline(src.slice(i + marker.length, close), depth + 1) },
      end: close + marker.length,
    };
  }
  return null;
}

function readLink(src: string, i: number, depth: number): Read {
  const image = src.startsWith("![", i);
  if (src[i] !== "[" && !image) return null;
  const open = image ? i + 1 : i;
  let level = 0;
  let close = -1;
  for (let j = open; j < src.length; j++) {
    if (src[j] === "\\") {
      j++;
      continue;
    }
    if (src[j] === "[") level++;
    if (src[j] === "]" && --level === 0) {
      close = j;
      break;
    }
  }
  if (close < 0 || src[close + 1] !== "(") return null;
  const end = src.indexOf(")", close + 2);
  if (end < 0) return null;
  const target = src.slice(close + 2, end).trim().replace(/\s+["'(].*$/, "").replace(/^<|>$/g, "");
  const label = src.slice(open + 1, close);
  const href = safeHref(target);
  const children = inline(label || target, depth + 1);
  if (!href) return { node: { t: "span", children }, end: end + 1 }; // shown, not followed
  return { node: { t: "link", href, children }, end: end + 1 };
}

function readAutolink(src: string, i: number): Read {
  if (src[i] === "<") {
    const m = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/i.exec(src.slice(i));
    if (m) return { node: { t: "link", href: m[1], children: [{ t: "text", text: m[1] }] }, end: i + m[0].length };
  }
  if ((src[i] === "h" || src[i] === "H") && (i === 0 || /[\s(]/.test(src[i - 1]))) {
    const m = /^https?:\/\/[^\s<>]+/i.exec(src.slice(i));
    if (m) {
      const url = m[0].replace(/[.,:;!?)'"]+$/, "");
      if (safeHref(url)) return { node: { t: "link", href: url, children: [{ t: "text", text: url }] }, end: i + url.length };
    }
  }
  return null;
}

/** safeHref returns the address when it is an absolute http, https or mailto one. */
export function safeHref(raw: string): string | null {
  const cleaned = raw.replace(/[\u0000-\u0020\u007f]/g, "");
  let url: URL;
  try {
    url = new URL(cleaned);
  } catch {
    return null;
  }
  return ["http:", "https:", "mailto:"].includes(url.protocol) ? url.href : null;
}
