#!/usr/bin/env python3
# Test-writing aid for the diagnostic lit files (test/Lang/diag-*.sattn):
#   python3 scripts/gen_caret_checks.py IN.sattn OUT.sattn
# Expands "// CARET{token}" into two CHECK-NEXT lines: the quoted source
# line and a caret under the token. The source line is the target of the
# next expected-error/-note/-warning directive ("@+N" relative to it), or,
# with "// CARET<prefix>{token}", the next code line starting with prefix.
# "{n:token}" picks the n-th occurrence; "pre^^token" puts the caret after
# "pre".
import re, sys
src = sys.argv[1]; dst = sys.argv[2]
lines = open(src, encoding='latin-1').read().split('\n')
out = []
def is_code(s):
    t = s.lstrip()
    return not (t.startswith('//') or t.startswith('#'))
for i, l in enumerate(lines):
    m = re.match(r'^// CARET(?:<([^>]*)>)?\{(?:(\d+):)?(.*)\}$', l)
    if not m:
        out.append(l); continue
    prefix, n, tok = m.group(1), int(m.group(2) or 1), m.group(3)
    pre = ''
    if '^^' in tok:
        pre, post = tok.split('^^')
        tok = pre + post
    target = None
    if prefix is not None:
        for j in range(i + 1, len(lines)):
            if is_code(lines[j]) and lines[j].lstrip().startswith(prefix):
                target = j; break
    else:
        prev = [x for x in out if 'CHECK' in x and re.search(r'(error|note|warning):', x)][-1]
        sev = re.search(r'(error|note|warning):', prev).group(1)
        for j in range(i + 1, len(lines)):
            d = re.search(r'expected-' + sev + r'@([+-]\d+)', lines[j])
            if d:
                target = j + int(d.group(1)); break
    if target is None:
        sys.exit('no target for ' + l)
    s = lines[target]
    if tok not in s:
        sys.exit('token not on target line for ' + l + ': ' + s)
    pos = -1
    for _ in range(n):
        pos = s.index(tok, pos + 1)
    pos += len(pre)
    quoted = s.replace('\t', ' ')
    out.append('// CHECK-NEXT: {{^}}  ' + quoted + '{{$}}')
    out.append('// CHECK-NEXT: {{^}}  ' + ' ' * pos + '^{{$}}')
open(dst, 'w', encoding='latin-1').write('\n'.join(out))
