#!/usr/bin/env python3
"""Counts the public API without a doc comment, per module (and per package with --packages).

Usage (from the repository root; needs no build and no third-party package):

    python3 tools/count_missing_javadoc.py                  # table per module
    python3 tools/count_missing_javadoc.py --packages       # table per package
    python3 tools/count_missing_javadoc.py --list nn optim  # every undocumented declaration, file:line
    python3 tools/count_missing_javadoc.py --check nn optim # exit 1 if any listed module misses one

What is counted is what javadoc publishes: a top-level or nested type that is public (or an
interface's member type) inside public types, and its public or protected methods and constructors
(an interface's methods are public unless private). A declaration is documented when a /** ... */
comment comes before it (annotations may sit in between), or when it carries @Override (javadoc
shows the overridden method's comment, and doclint does not ask for one). Packages are counted as documented when
they have a package-info.java with a doc comment. Fields are counted once per
declaration (javadoc warns once per name); enum constants and record components are not counted. A small Java tokenizer does the work (comments, strings, text blocks and char literals
are skipped; method bodies and initializers are not looked into, so local and anonymous classes are
not API).
"""
import argparse
import collections
import os
import re
import sys

MODULES = ["core", "nn", "optim", "examples", "benchmarks"]
TYPE_KEYWORDS = {"class", "interface", "enum", "record"}


def tokenize(src):
    """Yields (kind, text, line): kind is 'doc', 'id' (identifier, keyword or number) or 'sym'."""
    i, n, line = 0, len(src), 1
    while i < n:
        c = src[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            text = src[i:j]
            if text.startswith("/**") and text != "/**/":
                yield ("doc", text, line)
            line += text.count("\n")
            i = j
        elif src.startswith('"""', i):
            j = i + 3
            while j < n and not src.startswith('"""', j):
                j += 2 if src[j] == "\\" else 1
            j += 3
            line += src.count("\n", i, j)
            yield ("id", "STR", line)
            i = j
        elif c == '"' or c == "'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            yield ("id", "STR", line)
            i = j + 1
        elif c.isalnum() or c == "_" or c == "$":
            j = i
            while j < n and (src[j].isalnum() or src[j] in "_$"):
                j += 1
            yield ("id", src[i:j], line)
            i = j
        else:
            yield ("sym", c, line)
            i += 1


def strip_annotations(decl):
    """Drops annotations (@Name, @a.b.Name, with a balanced (...) argument list) from a declaration."""
    out, k = [], 0
    while k < len(decl):
        kind, text, line = decl[k]
        if text == "@" and k + 1 < len(decl) and decl[k + 1][1] != "interface":
            k += 2
            while k + 1 < len(decl) and decl[k][1] == "." and decl[k + 1][0] == "id":
                k += 2
            if k < len(decl) and decl[k][1] == "(":
                depth = 0
                while k < len(decl):
                    if decl[k][1] == "(":
                        depth += 1
                    elif decl[k][1] == ")":
                        depth -= 1
                        if depth == 0:
                            k += 1
                            break
                    k += 1
            continue
        out.append(decl[k])
        k += 1
    return out


class Scope:
    def __init__(self, kind, api, name="", type_kind=""):
        self.kind = kind            # 'file', 'type' or 'block'
        self.api = api              # members of this type can be API
        self.name = name
        self.type_kind = type_kind  # class, interface, enum, record, @interface
        self.enum_constants = type_kind == "enum"
        self.block_depth = 0        # for 'block': nesting of braces inside


def type_keyword_at(toks):
    """Index of the type keyword of a type declaration, or -1."""
    for k, (kind, text, _) in enumerate(toks):
        if kind != "id" or text not in TYPE_KEYWORDS:
            continue
        if k > 0 and toks[k - 1][1] == ".":
            continue
        if k + 1 < len(toks) and toks[k + 1][0] == "id":
            if text == "record" and k > 0 and toks[k - 1][0] == "id" and toks[k - 1][1] not in MODIFIERS:
                continue
            return k
    return -1


MODIFIERS = {"public", "protected", "private", "static", "final", "abstract", "sealed", "non",
             "strictfp", "default", "synchronized", "native", "transient", "volatile"}


def scan(path):
    """Returns a list of (category, documented, line, name) for the file's API declarations."""
    with open(path, encoding="utf-8") as f:
        src = f.read()
    found = []
    stack = [Scope("file", True)]
    decl = []
    in_field = False
    for tok in tokenize(src):
        kind, text, line = tok
        top = stack[-1]
        if top.kind == "block":
            if text == "{":
                top.block_depth += 1
            elif text == "}":
                top.block_depth -= 1
                if top.block_depth == 0:
                    stack.pop()
                    if not in_field:
                        decl = []
            continue
        # At type-body (or file) level.
        if top.kind == "type" and top.enum_constants:
            if text == ";":
                top.enum_constants = False
                decl, in_field = [], False
            elif text == "{":
                s = Scope("block", False)
                s.block_depth = 1
                stack.append(s)
                in_field = True  # an enum constant's body: keep going until ',' or ';'
            elif text == "}":
                stack.pop()
                decl = []
            elif text == ",":
                decl, in_field = [], False
            continue
        if text == "}":
            stack.pop()
            decl, in_field = [], False
            continue
        if text == ";":
            if in_field or not any(t[1] == "(" for t in strip_annotations(decl)):
                classify_field(decl, top, found)
            else:
                classify(decl, top, found, abstract=True)
            decl, in_field = [], False
            continue
        if text == "{":
            toks = strip_annotations(decl)
            k = type_keyword_at(toks)
            if k >= 0 and not in_field:
                mods = {t[1] for t in toks[:k] if t[0] == "id"}
                is_annotation_type = k > 0 and toks[k - 1][1] == "@"
                implicit = top.kind == "type" and top.type_kind in ("interface", "@interface")
                public = "public" in mods or "protected" in mods or (implicit and "private" not in mods)
                api = top.api and public
                name = toks[k + 1][1]
                tkind = "@interface" if is_annotation_type else toks[k][1]
                if api:
                    found.append(("type", has_doc(decl), toks[k][2], name))
                stack.append(Scope("type", api, name, tkind))
                decl, in_field = [], False
                continue
            first_eq = next((j for j, t in enumerate(toks) if t[1] == "="), None)
            first_paren = next((j for j, t in enumerate(toks) if t[1] == "("), None)
            s = Scope("block", False)
            s.block_depth = 1
            if in_field or (first_eq is not None and (first_paren is None or first_eq < first_paren)):
                in_field = True
                stack.append(s)
                continue
            if first_paren is not None:
                classify(decl, top, found, abstract=False)
            stack.append(s)
            decl = []
            continue
        decl.append(tok)
        if text == "=" and not in_field:
            # An '=' inside parentheses is an annotation's argument, not a field's initializer.
            depth = sum(1 if t[1] == "(" else -1 if t[1] == ")" else 0 for t in decl)
            if depth == 0 and not any(t[1] == "(" for t in strip_annotations(decl)):
                in_field = True
    return found


def has_doc(decl):
    """A doc comment of its own, or @Override: javadoc then copies the overridden method's comment."""
    if any(t[0] == "doc" for t in decl):
        return True
    return any(decl[k][1] == "@" and decl[k + 1][1] == "Override" for k in range(len(decl) - 1))


def classify(decl, scope, found, abstract):
    """Records a method or constructor declaration if it is API."""
    if scope.kind != "type" or not scope.api:
        return
    toks = strip_annotations(decl)
    toks = [t for t in toks if t[0] != "doc"]
    paren = next((j for j, t in enumerate(toks) if t[1] == "("), None)
    if paren is None or paren == 0 or toks[paren - 1][0] != "id":
        return
    if any(t[1] == "=" for t in toks[:paren]):
        return
    name = toks[paren - 1][1]
    mods = {t[1] for t in toks[:paren] if t[0] == "id"}
    implicit = scope.type_kind in ("interface", "@interface")
    if "private" in mods:
        return
    if not ("public" in mods or "protected" in mods or implicit):
        return
    category = "constructor" if name == scope.name and paren >= 1 and (
        paren == 1 or toks[paren - 2][0] != "id" or toks[paren - 2][1] in MODIFIERS) else "method"
    found.append((category, has_doc(decl), toks[paren - 1][2], name))


def classify_field(decl, scope, found):
    """Records a field declaration (one per declaration, however many names it declares) if it is API."""
    if scope.kind != "type" or not scope.api:
        return
    toks = [t for t in strip_annotations(decl) if t[0] != "doc"]
    eq = next((j for j, t in enumerate(toks) if t[1] == "="), len(toks))
    head = toks[:eq]
    if len(head) < 2 or head[-1][0] != "id" or head[0][1] in ("import", "package"):
        return
    mods = {t[1] for t in head if t[0] == "id"}
    implicit = scope.type_kind in ("interface", "@interface")
    if "private" in mods or not ("public" in mods or "protected" in mods or implicit):
        return
    found.append(("field", has_doc(decl), head[-1][2], head[-1][1]))


def package_documented(directory):
    info = os.path.join(directory, "package-info.java")
    if not os.path.exists(info):
        return False
    with open(info, encoding="utf-8") as f:
        return "/**" in f.read()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("modules", nargs="*", default=MODULES)
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--packages", action="store_true", help="one row per package")
    ap.add_argument("--list", action="store_true", help="print every undocumented declaration")
    ap.add_argument("--check", action="store_true", help="exit 1 if anything is undocumented")
    args = ap.parse_args()

    rows = collections.OrderedDict()
    missing_total = 0
    for module in args.modules:
        base = os.path.join(args.root, module, "src", "main", "java")
        for dirpath, _, files in sorted(os.walk(base)):
            java = sorted(f for f in files if f.endswith(".java") and f not in ("package-info.java", "module-info.java"))
            if not java:
                continue
            package = os.path.relpath(dirpath, base).replace(os.sep, ".")
            key = (module, package) if args.packages else (module, "")
            row = rows.setdefault(key, collections.Counter())
            row["packages"] += 1
            if not package_documented(dirpath):
                row["packages_missing"] += 1
                missing_total += 1
                if args.list:
                    print(f"{os.path.relpath(dirpath, args.root)}: package {package}")
            for f in java:
                path = os.path.join(dirpath, f)
                for category, documented, line, name in scan(path):
                    group = {"type": "types", "field": "fields"}.get(category, "members")
                    row[group] += 1
                    if not documented:
                        row[group + "_missing"] += 1
                        missing_total += 1
                        if args.list:
                            print(f"{os.path.relpath(path, args.root)}:{line}: {category} {name}")
    if not args.list:
        print(f"{'module':<11}{'package':<28}{'types':>14}{'methods+ctors':>18}{'fields':>16}{'packages':>12}")
        total = collections.Counter()
        for (module, package), row in rows.items():
            total.update(row)
            print(f"{module:<11}{package:<28}"
                  f"{row['types_missing']:>6} of {row['types']:<5}"
                  f"{row['members_missing']:>8} of {row['members']:<6}"
                  f"{row['fields_missing']:>7} of {row['fields']:<5}"
                  f"{row['packages_missing']:>5} of {row['packages']:<3}")
        print(f"{'total':<39}{total['types_missing']:>6} of {total['types']:<5}"
              f"{total['members_missing']:>8} of {total['members']:<6}"
              f"{total['fields_missing']:>7} of {total['fields']:<5}"
              f"{total['packages_missing']:>5} of {total['packages']:<3}")
        print("(undocumented of all: public types; public/protected methods and constructors; fields; packages)")
    if args.check and missing_total:
        sys.exit(1)


if __name__ == "__main__":
    main()
