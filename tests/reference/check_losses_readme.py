# tests/reference/check_losses_readme.py — checks losses/README.md: every tests link names an existing
# file and a TEST_CASE of it, every table row has 9 cells, no test name is left unlinked.
# Run: /usr/bin/python3 tests/reference/check_losses_readme.py <repo root>
# Every [text](../tests/FILE) link in losses/README.md: FILE exists, and each "quoted" test name in
# the text is a TEST_CASE of that FILE. Also every table row has 9 cells.
import re, sys, os
root = sys.argv[1]
md = open(os.path.join(root, 'losses/README.md')).read()
bad = 0; n = 0
links = re.findall(r'\]\((\.\./tests/[^)]*)\)', md)
for m in re.finditer(r'\[((?:[\w/]+\.cpp: )?"[^"]*")\]\(\.\./tests/([^)]+)\)', md):
    text, f = m.group(1), m.group(2)
    path = os.path.join(root, 'tests', f)
    if not os.path.exists(path): print('missing file', f); bad += 1; continue
    src = open(path).read()
    cases = set(re.findall(r'TEST_CASE\("((?:[^"\\]|\\.)*)"', src))
    names = re.findall(r'"([^"]+)"', text)
    prefix = re.match(r'([\w./]+):', text)
    if prefix and prefix.group(1) != f: print('label names', prefix.group(1), 'but links', f); bad += 1
    for name in names:
        n += 1
        if name not in cases: print('no TEST_CASE', repr(name), 'in', f); bad += 1
rows = [l for l in md.splitlines() if l.startswith('| ') and not l.startswith('| loss |')]
for l in rows:
    if len(re.split(r'(?<= )(?<!\\\\)\|(?= )', l.strip()[1:-1])) != 9: print('row with wrong cell count:', l[:80]); bad += 1
# a quoted test name outside any link is a defect (a name without a file)
stripped = re.sub(r'\[(?:[\w/]+\.cpp: )?"[^"]*"\]\([^)]*\)', '', md)
for l in stripped.splitlines():
    if l.startswith('| ') and l.rstrip().endswith('|'):
        tests = re.split(r'(?<= )\|(?= )', l.strip()[1:-1])[-1]
        if '"' in tests: print('unlinked test name:', tests[:80]); bad += 1
nlinks = len(re.findall(r'\[(?:[\w/]+\.cpp: )?"[^"]*"\]\(\.\./tests/', md))
if nlinks != len(links): print('some test links are not of the form [file: "name"](../tests/file)', nlinks, len(links)); bad += 1
print(f'{n} test-name links checked, {len(rows)} rows, {bad} problems')
sys.exit(1 if bad else 0)
