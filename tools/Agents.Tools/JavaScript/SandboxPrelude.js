// Runs in every fresh engine before the model's script; evaluates to the installer function, which
// returns the function that renders the script's last value.
//
// Jint checks its time, statement and memory constraints between interpreted statements and charges
// string concatenation as it happens, but some native builtins build their whole result in one call
// without a check: JSON.stringify of an array holding one large string many times, or join, replace
// and concat over such arrays, allocate gigabytes and run for many seconds before the next check.
// Those builtins are replaced here by versions that either check the result's size before the native
// call or do the work in JavaScript, where every step is counted and charged.
(function install(write, tooLarge, maxChars) {
  'use strict';
  const define = (target, name, value) =>
    Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
  const nativeRepeat = String.prototype.repeat;
  const nativePadStart = String.prototype.padStart;
  const nativePadEnd = String.prototype.padEnd;
  const nativeReplace = String.prototype.replace;
  const nativeReplaceAll = String.prototype.replaceAll;
  const nativeConcat = String.prototype.concat;
  const nativeStringify = JSON.stringify;
  const isArray = Array.isArray;
  const objectKeys = Object.keys;
  const check = (chars) => { if (chars > maxChars) tooLarge(); };
  const text = (value) => `${value}`;

  define(String.prototype, 'repeat', function repeat(count) {
    check(text(this).length * Math.trunc(Number(count)));
    return nativeRepeat.call(this, count);
  });
  define(String.prototype, 'padStart', function padStart(maxLength, fillString) {
    check(Number(maxLength));
    return nativePadStart.call(this, maxLength, fillString);
  });
  define(String.prototype, 'padEnd', function padEnd(maxLength, fillString) {
    check(Number(maxLength));
    return nativePadEnd.call(this, maxLength, fillString);
  });
  define(String.prototype, 'concat', function concat(...parts) {
    let length = text(this).length;
    for (const part of parts) length += text(part).length;
    check(length);
    return nativeConcat.apply(this, parts);
  });

  // Matches never overlap, so a replacement string adds at most its own length per match plus one
  // copy of the subject per '$' pattern in it; a replacer function is charged for what it returns.
  const boundedReplacement = (subject, replacement) => {
    if (typeof replacement === 'function') {
      let total = subject.length;
      return function (...args) {
        const result = text(replacement.apply(this, args));
        total += result.length;
        check(total);
        return result;
      };
    }
    const pattern = text(replacement);
    const dollars = pattern.split('$').length - 1;
    check(subject.length * (1 + dollars) + (subject.length + 1) * pattern.length);
    return pattern;
  };
  define(String.prototype, 'replace', function replace(searchValue, replaceValue) {
    return nativeReplace.call(this, searchValue, boundedReplacement(text(this), replaceValue));
  });
  define(String.prototype, 'replaceAll', function replaceAll(searchValue, replaceValue) {
    return nativeReplaceAll.call(this, searchValue, boundedReplacement(text(this), replaceValue));
  });

  // Array.prototype.toString and every array-to-string conversion come through join.
  define(Array.prototype, 'join', function join(separator) {
    const items = Object(this);
    const length = Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.trunc(Number(items.length)) || 0));
    const glue = separator === undefined ? ',' : text(separator);
    let result = '';
    for (let i = 0; i < length; i++) {
      if (i > 0) result += glue;
      const item = items[i];
      if (item !== undefined && item !== null) result += text(item);
      check(result.length);
    }
    return result;
  });

  define(JSON, 'stringify', function stringify(value, replacer, space) {
    const replacerFunction = typeof replacer === 'function' ? replacer : undefined;
    let allowed;
    if (isArray(replacer)) {
      allowed = [];
      for (const entry of replacer) {
        const key = typeof entry === 'string' || typeof entry === 'number' || entry instanceof String || entry instanceof Number
          ? text(entry) : undefined;
        if (key !== undefined && !allowed.includes(key)) allowed.push(key);
      }
    }
    if (space instanceof Number) space = Number(space);
    else if (space instanceof String) space = text(space);
    const indent = typeof space === 'number' ? ' '.repeat(Math.min(10, Math.max(0, Math.trunc(space))))
      : typeof space === 'string' ? space.slice(0, 10) : '';
    const open = [];
    let written = 0;
    const piece = (s) => { written += s.length; check(written); return s; };
    const serialize = (holder, key, gap) => {
      let v = holder[key];
      if ((typeof v === 'object' && v !== null) || typeof v === 'bigint') {
        const toJSON = v.toJSON;
        if (typeof toJSON === 'function') v = toJSON.call(v, key);
      }
      if (replacerFunction) v = replacerFunction.call(holder, key, v);
      if (v instanceof Number) v = Number(v);
      else if (v instanceof String) v = text(v);
      else if (v instanceof Boolean) v = v.valueOf();
      if (v === null) return 'null';
      switch (typeof v) {
        case 'boolean': return v ? 'true' : 'false';
        case 'number': return Number.isFinite(v) ? text(v) : 'null';
        case 'string': return piece(nativeStringify(v));
        case 'bigint': return nativeStringify(v);
        case 'object': break;
        default: return undefined;
      }
      if (open.includes(v)) throw new TypeError('Converting circular structure to JSON');
      open.push(v);
      const inner = gap + indent;
      const separator = indent ? '\n' + inner : '';
      let result = '';
      if (isArray(v)) {
        const length = Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.trunc(Number(v.length)) || 0));
        for (let i = 0; i < length; i++) {
          const item = serialize(v, text(i), inner);
          result += (i > 0 ? ',' : '') + separator + (item === undefined ? 'null' : item);
          check(result.length);
        }
        result = result === '' ? '[]' : '[' + result + (indent ? '\n' + gap : '') + ']';
      } else {
        let first = true;
        for (const k of allowed || objectKeys(v)) {
          const item = serialize(v, k, inner);
          if (item === undefined) continue;
          result += (first ? '' : ',') + separator + piece(nativeStringify(k)) + (indent ? ': ' : ':') + item;
          first = false;
          check(result.length);
        }
        result = first ? '{}' : '{' + result + (indent ? '\n' + gap : '') + '}';
      }
      open.pop();
      return result;
    };
    return serialize({ '': value }, '', '');
  });

  const format = (args) => {
    let line = '';
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      const shown = typeof arg === 'string' ? arg
        : arg !== null && typeof arg === 'object' ? JSON.stringify(arg) ?? text(arg)
        : typeof arg === 'symbol' ? arg.toString() : text(arg);
      line += (i > 0 ? ' ' : '') + shown;
    }
    return line;
  };
  const console = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    define(console, level, function (...args) { write(format(args)); });
  }
  define(globalThis, 'console', console);
  // What the host shows for the script's last value: nothing for undefined, JSON for objects.
  return (value) => value === undefined ? undefined : format([value]);
})
