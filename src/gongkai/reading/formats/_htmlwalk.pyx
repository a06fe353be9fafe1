# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The HTML reader's walk over a parsed page, on libxml2's nodes.

:class:`Walker` is ``html._Reader`` (its ``flow``, tables, grids and cell text) compiled
with Cython against lxml's C API: it reads the nodes of the tree lxml parsed directly
instead of through a Python proxy per element, and looks up text, tags, spans and source
lines in libxml2's structures. It follows ``_Reader`` step by step, and
``tests/test_compiled.py`` holds that every page reads to the same Document by both;
``html.read`` uses it where it was built (a wheel, ``pip install .``), else ``_Reader``.

lxml's semantics it keeps: an element is a node lxml shows as one (element, comment,
entity reference, processing instruction; only the first has a tag that is a str);
``.text``/``.tail`` are the text and CDATA nodes next to each other, ``tostring(method=
"text")`` the text of a subtree, ``.sourceline`` libxml2's line number when it is positive,
``.get`` the attribute without a namespace. It reads libxml2's structures and calls none
of its functions (lxml links libxml2 into itself and exports none); the rare shapes it
does not read itself (an entity reference, a line past 65,534, an attribute of several
nodes) it asks the element's lxml proxy for.
"""

from cpython.exc cimport PyErr_CheckSignals
from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.string cimport memset, strlen

from lxml.includes cimport tree
from lxml.includes.etreepublic cimport _Document, _Element, elementFactory, import_lxml__etree

import_lxml__etree()

from gongkai.reading.document import Cell, Loc, Para, TableBlock
from gongkai.reading.formats.common import collapse
from gongkai.reading.formats.html_signals import line_of, text_of
from gongkai.reading.formats.html_tags import (
    BLOCK,
    CELL_INLINE,
    CELLS,
    HEADINGS,
    MAX_PAGE_CELLS,
    MAX_TABLE_CELLS,
    PRE,
    ROW_GROUPS,
    SKIP,
    cell_words,
    expand_grid,
    warn_truncated,
)

cdef Py_ssize_t _MAX_TABLE = MAX_TABLE_CELLS
cdef Py_ssize_t _MAX_PAGE = MAX_PAGE_CELLS

# what an element's tag is to the walk, as bits (looked up once a tag name a read)
cdef enum:
    K_ELEMENT = 1  # an element (a node with a tag that is a str)
    K_SKIP = 2
    K_BLOCK = 4
    K_HEADING = 8
    K_PRE = 16  # PRE: pre, xmp, listing
    K_BR = 32
    K_TABLE = 64
    K_TR = 128
    K_CELL = 256  # td, th
    K_ROW_GROUP = 512
    K_CAPTION = 1024
    K_P = 2048
    K_INLINE = 4096  # CELL_INLINE
    _KINDS = 128  # slots for the kinds of the tag names a walk meets (a power of two)


#: the tag names of each kind (a name may be of several)
cdef tuple _KIND_TAGS = (
    (SKIP, K_SKIP),
    (BLOCK, K_BLOCK),
    (HEADINGS, K_HEADING),
    (PRE, K_PRE),
    (frozenset({"br"}), K_BR),
    (frozenset({"table"}), K_TABLE),
    (frozenset({"tr"}), K_TR),
    (CELLS, K_CELL),
    (ROW_GROUPS, K_ROW_GROUP),
    (frozenset({"caption"}), K_CAPTION),
    (frozenset({"p"}), K_P),
    (CELL_INLINE, K_INLINE),
)


cdef unsigned int _kind_of(str tag):
    cdef unsigned int k = K_ELEMENT
    for tags, bit in _KIND_TAGS:
        if tag in <frozenset>tags:
            k |= <unsigned int>bit
    return k


cdef inline bint _is_element(tree.xmlNode* c) noexcept:
    """A node lxml shows as an element (iterwalk, len(), iteration visit these)."""
    return (
        c.type == tree.XML_ELEMENT_NODE
        or c.type == tree.XML_COMMENT_NODE
        or c.type == tree.XML_ENTITY_REF_NODE
        or c.type == tree.XML_PI_NODE
    )


cdef inline tree.xmlNode* _next_element(tree.xmlNode* c) noexcept:
    while c is not NULL and not _is_element(c):
        c = c.next
    return c


cdef inline tree.xmlNode* _text_or_skip(tree.xmlNode* c) noexcept:
    """lxml's _textNodeOrSkip: the text node at ``c``, past XInclude markers, or NULL."""
    while c is not NULL:
        if c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE:
            return c
        if c.type == tree.XML_XINCLUDE_START or c.type == tree.XML_XINCLUDE_END:
            c = c.next
            continue
        return NULL
    return NULL


cdef inline str _utf8(const unsigned char* s):
    return PyUnicode_DecodeUTF8(<const char*>s, strlen(<const char*>s), NULL)


cdef object _collect_text(tree.xmlNode* c):
    """lxml's .text (from the first child) or .tail (from the next sibling): None where
    no text node stands there, '' where only empty ones do."""
    cdef tree.xmlNode* t = _text_or_skip(c)
    if t is NULL:
        return None
    cdef tree.xmlNode* one = NULL
    cdef int count = 0
    cdef tree.xmlNode* cur = t
    while cur is not NULL:
        if cur.content is not NULL and cur.content[0] != 0:
            one = cur
            count += 1
        cur = _text_or_skip(cur.next)
    if count == 0:
        return ""
    if count == 1:
        return _utf8(one.content)
    parts = []
    cur = t
    while cur is not NULL:
        if cur.content is not NULL and cur.content[0] != 0:
            parts.append(_utf8(cur.content))
        cur = _text_or_skip(cur.next)
    return "".join(parts)


cdef object _content(tree.xmlNode* top):
    """tostring(el, method="text", encoding=str, with_tail=False): the text and CDATA
    nodes below ``top`` in order, as libxml2's xmlBufGetChildContent gathers them; None
    where an entity reference stands below (the caller asks lxml)."""
    cdef object first = None  # the one piece of most cells, joined with no list
    cdef list parts = None
    cdef tree.xmlNode* c = top.children
    while c is not NULL:
        if c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE:
            if c.content is not NULL and c.content[0] != 0:
                if first is None:
                    first = _utf8(c.content)
                else:
                    if parts is None:
                        parts = [first]
                    parts.append(_utf8(c.content))
        elif c.type == tree.XML_ENTITY_REF_NODE:
            return None
        elif c.children is not NULL:
            c = c.children
            continue
        while c.next is NULL:
            c = c.parent
            if c is top:
                c = NULL
                break
        if c is NULL:
            break
        c = c.next
    if first is None:
        return ""
    return first if parts is None else "".join(parts)


cdef object _attr(tree.xmlNode* c, const char* name):
    """``el.get(name)`` for an attribute without a namespace: its one text node; False
    for another shape of value (the caller asks lxml)."""
    cdef tree.xmlAttr* a = c.properties
    cdef const char* n
    cdef Py_ssize_t i
    while a is not NULL:
        if a.ns is NULL:
            n = <const char*>a.name
            i = 0
            while name[i] != 0 and n[i] == name[i]:
                i += 1
            if name[i] == 0 and n[i] == 0:
                if a.children is NULL:
                    return ""
                if a.children.next is NULL and (
                    a.children.type == tree.XML_TEXT_NODE
                    or a.children.type == tree.XML_CDATA_SECTION_NODE
                ) and a.children.content is not NULL:
                    return _utf8(a.children.content)
                return False
        a = a.next
    return None


cdef class Walker:
    """``html._Reader`` on libxml2's nodes: the same attributes, the same ``flow``."""

    cdef public object doc
    cdef public object hidden
    cdef public object container
    cdef public list hidden_text
    cdef public Py_ssize_t tables
    cdef public Py_ssize_t origins
    cdef public Py_ssize_t budget
    cdef public list content_range
    cdef set _hidden_nodes
    cdef tree.xmlNode* _container
    cdef _Document _document
    # the kinds of the tag names met, by the address of the name (libxml2 keeps one copy
    # of a name a document); half the slots at most are filled
    cdef size_t _names[_KINDS]
    cdef unsigned int _kinds[_KINDS]
    cdef int _known

    def __init__(self, doc, hidden, container):
        self.doc = doc
        self.hidden = hidden
        self.container = container
        self.hidden_text = []
        self.tables = 0
        self.origins = 0
        self.budget = _MAX_PAGE
        self.content_range = []
        self._hidden_nodes = {<size_t>(<_Element>e)._c_node for e in hidden}
        self._container = NULL if container is None else (<_Element>container)._c_node
        self._document = None if container is None else (<_Element>container)._doc
        self._known = 0
        memset(self._names, 0, sizeof(self._names))

    cdef unsigned int _kind(self, tree.xmlNode* c):
        """The kind of ``c`` (0 for the nodes lxml shows that are no element: comments,
        entity references, processing instructions), from lxml's .tag."""
        if c.type != tree.XML_ELEMENT_NODE:
            return 0
        if c.ns is not NULL and c.ns.href is not NULL:
            return _kind_of("{" + _utf8(c.ns.href) + "}" + _utf8(c.name))
        cdef size_t key = <size_t>c.name
        # open addressing by the name's address: a page has some tens of tag names
        cdef unsigned int slot = <unsigned int>((key >> 4) & (_KINDS - 1)), probes
        for probes in range(_KINDS):
            if self._names[slot] == key:
                return self._kinds[slot]
            if self._names[slot] == 0:
                break
            slot = (slot + 1) & (_KINDS - 1)
        cdef unsigned int kind = _kind_of(_utf8(c.name))
        if self._names[slot] == 0 and self._known < _KINDS // 2:
            self._names[slot] = key
            self._kinds[slot] = kind
            self._known += 1
        return kind

    def flow(self, _Element top):
        """``_Reader.flow(top)`` for the page's body (body mode)."""
        self._document = top._doc
        return self._flow(top._c_node, False)

    cdef list _flow(self, tree.xmlNode* top, bint cell):
        cdef list blocks = self.doc.blocks
        cdef list lines = []
        cdef list parts = []
        cdef object start = None
        cdef bint heading = False
        cdef Py_ssize_t depth_h = 0
        cdef Py_ssize_t pre = 0
        cdef bint descend, skipped
        cdef unsigned int kind
        cdef tree.xmlNode* el = top
        cdef tree.xmlNode* child
        cdef tree.xmlNode* nxt
        cdef object text
        cdef unsigned int steps = 0

        while True:
            # -- the start event of el (a subtree skipped has its end event next: skipped
            # says so to it)
            steps += 1
            if not steps & 4095:
                PyErr_CheckSignals()  # the read's time limit (SIGALRM) is heard in C too
            descend = True
            skipped = False
            kind = self._kind(el)
            if not kind:
                descend = False
            else:
                if el is self._container and not cell:
                    if parts:
                        self._flush(parts, start, heading, cell, blocks, lines)
                    heading = False
                    self.content_range = [len(blocks)]
                if kind & K_SKIP:
                    descend = False
                    skipped = True
                elif self._hidden_nodes and (<size_t>el) in self._hidden_nodes:
                    self._record_hidden(el)
                    descend = False
                    skipped = True
                elif kind & K_BR:
                    if parts:
                        self._flush(parts, start, heading, cell, blocks, lines)
                    heading = False
                else:
                    if kind & K_TABLE and el is not top:
                        if parts:
                            self._flush(parts, start, heading, cell, blocks, lines)
                        heading = False
                        if self._table(el, cell):
                            descend = False
                            skipped = True
                    elif kind & K_BLOCK:
                        if parts:
                            self._flush(parts, start, heading, cell, blocks, lines)
                        heading = False
                        if kind & K_HEADING:
                            depth_h += 1
                        elif kind & K_PRE:
                            pre += 1
                    if not skipped:
                        text = _collect_text(el.children)
                        if text:
                            if pre:
                                start, heading = self._add_pre(
                                    text, self._line(el), parts, start, heading, depth_h, cell,
                                    blocks, lines,
                                )
                            else:
                                if not parts:
                                    start = self._line(el)
                                parts.append(text)
                                if depth_h:
                                    heading = True
            # -- down to the first child, or the end events up to the next sibling
            child = _next_element(el.children) if descend else NULL
            if child is not NULL:
                el = child
                continue
            while True:
                # the end event of el
                kind = self._kind(el)
                if kind:
                    if kind & K_BLOCK and not skipped:
                        if parts:
                            self._flush(parts, start, heading, cell, blocks, lines)
                        heading = False
                        if kind & K_HEADING:
                            depth_h -= 1
                        elif kind & K_PRE:
                            pre -= 1
                    if el is self._container and not cell:
                        if parts:
                            self._flush(parts, start, heading, cell, blocks, lines)
                        heading = False
                        self.content_range.append(len(blocks))
                skipped = False  # the parents above were walked into
                if el is top:
                    if parts:
                        self._flush(parts, start, heading, cell, blocks, lines)
                    return lines
                text = _collect_text(el.next)
                if text:
                    if pre:
                        start, heading = self._add_pre(
                            text, self._line(el), parts, start, heading, depth_h, cell, blocks,
                            lines,
                        )
                    else:
                        if not parts:
                            start = self._line(el)
                        parts.append(text)
                        if depth_h:
                            heading = True
                nxt = _next_element(el.next)
                if nxt is not NULL:
                    el = nxt
                    break
                el = el.parent

    cdef int _flush(self, list parts, object start, bint heading, bint cell, list blocks,
                    list lines) except -1:
        """``flush()`` of ``_Reader.flow`` for a paragraph with parts (the caller resets
        ``heading``)."""
        text = collapse("".join(parts))
        del parts[:]
        if text:
            if cell:
                lines.append(text)
            else:
                blocks.append(Para(text, Loc(line=start), heading=heading))
        return 0

    cdef tuple _add_pre(self, str text, object line, list parts, object start, bint heading,
                        Py_ssize_t depth_h, bint cell, list blocks, list lines):
        """``add()`` of ``_Reader.flow`` inside ``<pre>``: a line break ends a paragraph."""
        cdef list pieces = text.split("\n")
        cdef Py_ssize_t i
        for i in range(len(pieces)):
            if i:
                if parts:
                    self._flush(parts, start, heading, cell, blocks, lines)
                heading = False
                line_i = line + i if line else None
            else:
                line_i = line
            if not parts:
                start = line_i
            parts.append(pieces[i])
            if depth_h:
                heading = True
        return start, heading

    cdef _Element _proxy(self, tree.xmlNode* c):
        return elementFactory(self._document, c)

    cdef object _line(self, tree.xmlNode* c):
        """``el.sourceline``: libxml2 keeps a line past 65,534 elsewhere (lxml finds it)."""
        if c.line == 65535:
            return self._proxy(c).sourceline
        return c.line if c.line > 0 else None

    cdef str _text(self, tree.xmlNode* c):
        """``text_of(el)``."""
        text = _content(c)
        return text_of(self._proxy(c)) if text is None else text

    cdef object _get(self, tree.xmlNode* c, const char* name):
        """``el.get(name)``."""
        value = _attr(c, name)
        if value is False:
            return self._proxy(c).get(name.decode())
        return value

    cdef void _record_hidden(self, tree.xmlNode* c) except *:
        el = self._proxy(c)
        text = collapse(text_of(el))
        if len(text) >= 2:
            self.hidden_text.append({"text": text[:2000], "line": line_of(el), "element": el})

    # -- tables ---------------------------------------------------------------

    cdef list _children(self, tree.xmlNode* c, unsigned int kind):
        """The element children of ``c`` of ``kind``."""
        cdef list out = []
        cdef tree.xmlNode* k = _next_element(c.children)
        while k is not NULL:
            if self._kind(k) & kind:
                out.append(<size_t>k)
            k = _next_element(k.next)
        return out

    cdef list _own_rows(self, tree.xmlNode* table):
        cdef list rows = []
        cdef tree.xmlNode* k = _next_element(table.children)
        cdef tree.xmlNode* r
        cdef unsigned int kind
        while k is not NULL:
            kind = self._kind(k)
            if kind & K_TR:
                rows.append(<size_t>k)
            elif kind & K_ROW_GROUP:
                r = _next_element(k.children)
                while r is not NULL:
                    if self._kind(r) & K_TR:
                        rows.append(<size_t>r)
                    r = _next_element(r.next)
            k = _next_element(k.next)
        return rows

    cdef bint _holds_table(self, tree.xmlNode* table):
        """Whether an element below ``table`` is a table."""
        cdef tree.xmlNode* c = table.children
        while c is not NULL and c is not table:
            if self._kind(c) & K_TABLE:
                return True
            if c.children is not NULL and c.type == tree.XML_ELEMENT_NODE:
                c = c.children
                continue
            while c is not table and c.next is NULL:
                c = c.parent
            if c is table:
                break
            c = c.next
        return False

    cdef bint _table(self, tree.xmlNode* table, bint cell) except -1:
        if cell:
            return False
        cdef list rows = [self._children(<tree.xmlNode*><size_t>tr, K_CELL)
                          for tr in self._own_rows(table)]
        cdef Py_ssize_t total = 0
        for r in rows:
            total += len(<list>r)
        if total <= 1:
            return False
        if self._holds_table(table):
            return False
        cdef tree.xmlNode* caption = _next_element(table.children)
        while caption is not NULL and not self._kind(caption) & K_CAPTION:
            caption = _next_element(caption.next)
        blocks = self.doc.blocks
        if caption is not NULL:
            text = collapse(self._text(caption))
            if text:
                blocks.append(Para(text, Loc(line=self._line(caption))))
        self.tables += 1
        number = self.tables
        grid = self._grid(rows, number)
        block = TableBlock(grid, Loc(line=self._line(table), table=number), grid=True)
        cdef tree.xmlNode* a
        if self._container is not NULL:
            a = self._container
            while a is not NULL and a.type == tree.XML_ELEMENT_NODE:
                if a is table:
                    self.content_range = [len(blocks), len(blocks) + 1]
                    break
                a = a.parent
        blocks.append(block)
        return True

    cdef str _cell_text(self, tree.xmlNode* td):
        """``_Reader._cell_text_plain`` (which reads as ``_cell_text`` does)."""
        cdef tree.xmlNode* first = _next_element(td.children)
        if first is NULL:
            text = _collect_text(td.children)
            return cell_words(text or "")
        cdef Py_ssize_t paras = 0
        cdef unsigned int kind
        cdef tree.xmlNode* d = first
        cdef bint hidden = bool(self._hidden_nodes)
        # the descendants in document order
        while d is not NULL:
            kind = self._kind(d)
            if kind & K_P:
                paras += 1
            elif not kind & K_INLINE or (
                hidden and (<size_t>d) in self._hidden_nodes
            ):
                return "\n".join(self._flow(td, True))
            if d.type == tree.XML_ELEMENT_NODE:
                child = _next_element(d.children)
                if child is not NULL:
                    d = child
                    continue
            while d is not td:
                child = _next_element(d.next)
                if child is not NULL:
                    d = child
                    break
                d = d.parent
            if d is td:
                break
        if paras <= 1:
            return cell_words(self._text(td))
        cdef tree.xmlNode* k = first
        while k is not NULL:
            if not self._kind(k) & K_P:
                return "\n".join(self._flow(td, True))
            tail = _collect_text(k.next)
            if tail and not tail.isspace():
                return "\n".join(self._flow(td, True))
            k = _next_element(k.next)
        text = _collect_text(td.children)
        if text and not text.isspace():
            return "\n".join(self._flow(td, True))
        out = []
        k = first
        while k is not NULL:
            t = collapse(self._text(k))
            if t:
                out.append(t)
            k = _next_element(k.next)
        return "\n".join(out)

    def _cell_of(self, size_t td):
        """A grid cell's text and line (``_Reader._cell``)."""
        cdef tree.xmlNode* c = <tree.xmlNode*>td
        return self._cell_text(c), self._line(c)

    cdef list _grid(self, list rows, object number):
        """``_Reader._grid``: the spans read here, the grid expanded by ``expand_grid``."""
        cdef list spans = []
        cdef tree.xmlNode* td
        for tds in rows:
            row = []
            for ptr in <list>tds:
                td = <tree.xmlNode*><size_t>ptr
                row.append((ptr, self._get(td, "colspan"), self._get(td, "rowspan")))
            spans.append(row)
        grid = expand_grid(spans, self._cell_of, number, min(self.budget, _MAX_TABLE), self.origins)
        self.origins = grid.origin
        self.budget -= grid.used
        if grid.truncated:
            warn_truncated(self.doc, number)
        return grid.rows


# -- lean: the page without the attributes no reader looks at ---------------------------

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from libc.stdlib cimport free, malloc
from libc.string cimport memchr, memcmp, memcpy

from gongkai.reading.formats.html_tags import READ_ATTRIBUTES, RAW_TEXT

cdef list _KEEP = sorted(a.encode() for a in READ_ATTRIBUTES)
cdef list _RAW = sorted(t.encode() for t in RAW_TEXT)
cdef list _PLAINTEXT = [b"plaintext"]


cdef struct _Names:
    int count
    const unsigned char* name[32]
    Py_ssize_t size[32]
    unsigned long long sizes  # bit n: a name of n bytes is among them (n < 64)


cdef _Names _KEEP_NAMES, _RAW_NAMES, _PLAINTEXT_NAMES


cdef void _fill(_Names* names, list words):
    names.count = min(len(words), 32)
    names.sizes = 0
    for i in range(names.count):
        names.name[i] = <const unsigned char*>PyBytes_AS_STRING(words[i])
        names.size[i] = PyBytes_GET_SIZE(words[i])
        names.sizes |= 1ULL << min(names.size[i], 63)


_fill(&_KEEP_NAMES, _KEEP)
_fill(&_RAW_NAMES, _RAW)
_fill(&_PLAINTEXT_NAMES, _PLAINTEXT)


cdef int _named(const unsigned char* s, Py_ssize_t start, Py_ssize_t end,
                _Names* names) noexcept:
    """Which of ``names`` (lower case) ``s[start:end]`` is, ASCII case ignored; -1."""
    cdef Py_ssize_t m = end - start, j
    cdef const unsigned char* w
    cdef int i
    if not (names.sizes >> min(m, 63)) & 1:
        return -1  # no name of this length (style, class, width: most attributes cut)
    for i in range(names.count):
        if names.size[i] != m:
            continue
        w = names.name[i]
        j = 0
        while j < m and _lower(s[start + j]) == w[j]:
            j += 1
        if j == m:
            return i
    return -1


# the classes of the bytes the tokenizer's tag states tell apart
cdef enum:
    B_SPACE = 1  # tab, line feed, form feed, carriage return, space
    B_SLASH = 2
    B_GT = 4
    B_EQ = 8
    B_QUOTE = 16  # " '
    B_LT = 32
    B_BACKTICK = 64

cdef unsigned char _CLASS[256]
memset(_CLASS, 0, sizeof(_CLASS))
for _b in (9, 10, 12, 13, 32):
    _CLASS[_b] = B_SPACE
_CLASS[47] = B_SLASH
_CLASS[62] = B_GT
_CLASS[61] = B_EQ
_CLASS[34] = B_QUOTE
_CLASS[39] = B_QUOTE
_CLASS[60] = B_LT
_CLASS[96] = B_BACKTICK


cdef inline bint _space(unsigned char c) noexcept:
    return _CLASS[c] & B_SPACE


cdef inline Py_ssize_t _until(const unsigned char* s, Py_ssize_t n, Py_ssize_t k,
                              unsigned char stop) noexcept:
    """The first index from ``k`` whose byte is of a class in ``stop`` (``n`` if none)."""
    while k < n and not (_CLASS[s[k]] & stop):
        k += 1
    return k


cdef inline unsigned char _lower(unsigned char c) noexcept:
    return c + 32 if 65 <= c <= 90 else c


cdef inline bint _letter(unsigned char c) noexcept:
    return (65 <= c <= 90) or (97 <= c <= 122)


cdef Py_ssize_t _find(const unsigned char* s, Py_ssize_t n, Py_ssize_t at, bytes word,
                      bint fold=True) noexcept:
    """Where ``word`` starts at or after ``at`` and ends by ``n``, ASCII case ignored with
    ``fold`` (``word`` in lower case, its first byte no letter); -1."""
    cdef const unsigned char* w = <const unsigned char*>PyBytes_AS_STRING(word)
    cdef Py_ssize_t m = PyBytes_GET_SIZE(word)
    cdef Py_ssize_t i, j
    cdef const unsigned char* p
    while at + m <= n:
        p = <const unsigned char*>memchr(s + at, w[0], n - at)
        if p is NULL:
            return -1
        i = p - s
        if i + m > n:
            return -1
        j = 1
        while j < m and (_lower(s[i + j]) if fold else s[i + j]) == w[j]:
            j += 1
        if j == m:
            return i
        at = i + 1
    return -1


def lean(bytes data):
    """``data`` without the attributes of start tags that the HTML reader never reads
    (``style``, ``class``, ``width``… half the bytes of a Word-made page, and most of
    libxml2's parse): each is cut out and its line breaks kept, so that every line number
    stays. None where the page holds anything this scan does not follow as libxml2's
    HTML5 tokenizer does (a quirky comment, script data with ``<!--``, ``<plaintext>``,
    an attribute or tag out of form, the end inside a tag): the caller parses ``data``
    as it is. Nothing but whole well-formed attributes of start tags is ever removed."""
    cdef const unsigned char* s = <const unsigned char*>PyBytes_AS_STRING(data)
    cdef Py_ssize_t n = PyBytes_GET_SIZE(data)
    cdef unsigned char* out = <unsigned char*>malloc(n + 1)
    if out is NULL:
        raise MemoryError()
    cdef Py_ssize_t i = 0, o = 0, copied = 0, k, name_start, name_end, attr_start, end
    cdef Py_ssize_t tag_start, tag_end, k2
    cdef const unsigned char* p
    cdef unsigned char c, q
    cdef bint cut = False
    cdef bytes tag, closing
    cdef int raw
    try:
        while True:
            # -- data: the next '<'
            p = <const unsigned char*>memchr(s + i, 60, n - i) if i < n else NULL
            if p is NULL:
                break
            i = p - s
            if i + 1 >= n:
                break
            c = s[i + 1]
            if c == 33:  # '<!'
                if i + 3 < n and s[i + 2] == 45 and s[i + 3] == 45:  # '<!--'
                    if i + 4 < n and (s[i + 4] == 62 or (s[i + 4] == 45 and i + 5 < n and s[i + 5] == 62)):
                        return None  # '<!-->', '<!--->'
                    k = i + 4
                    end = -1
                    while k + 2 < n:
                        if s[k] == 45 and s[k + 1] == 45:
                            if s[k + 2] == 62:
                                end = k + 3
                                break
                            if s[k + 2] == 33:  # '--!'
                                return None
                        k += 1
                    if end < 0:
                        return None
                    i = end
                    continue
                k = i + 2  # a doctype or a bogus comment (<![if !supportLists]>) to '>'
                while k < n and s[k] != 62:
                    if s[k] == 60:
                        return None
                    k += 1
                if k >= n:
                    return None
                i = k + 1
                continue
            if c == 63:  # '<?': a bogus comment to '>'
                k = i + 2
                while k < n and s[k] != 62:
                    k += 1
                if k >= n:
                    return None
                i = k + 1
                continue
            if c == 47:  # '</'
                if i + 2 < n and _letter(s[i + 2]):
                    k = _skip_tag(s, n, i + 2)
                    if k < 0:
                        return None
                    i = k
                    continue
                i += 2  # '</' then no letter: libxml2 may read it as a bogus comment
                return None
            if not _letter(c):
                i += 1
                continue
            # -- a start tag
            tag_start = i + 1
            k = tag_start
            k = _until(s, n, k, B_SPACE | B_SLASH | B_GT | B_LT | B_QUOTE | B_EQ)
            if k < n and _CLASS[s[k]] & (B_LT | B_QUOTE | B_EQ):
                return None
            tag_end = k
            while True:
                while k < n and _space(s[k]):
                    k += 1
                if k >= n:
                    return None
                c = s[k]
                if c == 62:  # '>'
                    k += 1
                    break
                if c == 47:  # '/>' (anything else after '/' is a quirk)
                    if k + 1 < n and s[k + 1] == 62:
                        k += 2
                        break
                    return None
                if not _space(s[k - 1]):
                    return None  # an attribute straight after a quoted value
                attr_start = name_start = k
                k = _until(s, n, k, B_SPACE | B_SLASH | B_GT | B_EQ | B_LT | B_QUOTE)
                if k < n and _CLASS[s[k]] & (B_LT | B_QUOTE):
                    return None
                name_end = k
                if name_end == name_start:
                    return None  # '=' where a name begins
                while k < n and _space(s[k]):
                    k += 1
                if k >= n:
                    return None
                if s[k] == 61:  # '=' and a value
                    k += 1
                    while k < n and _space(s[k]):
                        k += 1
                    if k >= n:
                        return None
                    q = s[k]
                    if q == 34 or q == 39:
                        p = <const unsigned char*>memchr(s + k + 1, q, n - k - 1)
                        if p is NULL:
                            return None
                        k = p - s + 1
                        if k < n and not (_space(s[k]) or s[k] == 47 or s[k] == 62):
                            return None
                    elif q == 62:
                        return None  # a missing value
                    else:
                        k = _until(s, n, k, B_SPACE | B_GT | B_QUOTE | B_LT | B_EQ | B_BACKTICK)
                        if k < n and _CLASS[s[k]] & (B_QUOTE | B_LT | B_EQ | B_BACKTICK):
                            return None
                    end = k
                else:
                    end = name_end  # a name without a value: what follows is another attribute
                    k = name_end
                if _named(s, name_start, name_end, &_KEEP_NAMES) >= 0:
                    continue
                # cut the attribute, keep its line breaks
                _copy_range(out, &o, s, copied, attr_start)
                if (
                    memchr(s + attr_start, 10, end - attr_start) is not NULL
                    or memchr(s + attr_start, 13, end - attr_start) is not NULL
                ):
                    for k2 in range(attr_start, end):
                        if s[k2] == 10 or s[k2] == 13:
                            out[o] = s[k2]
                            o += 1
                copied = end
                cut = True
            i = k
            if _named(s, tag_start, tag_end, &_PLAINTEXT_NAMES) >= 0:
                return None
            raw = _named(s, tag_start, tag_end, &_RAW_NAMES)
            if raw >= 0:
                tag = _RAW[raw]
                # raw text (or RCDATA) to its end tag; script data with '<!--' is a quirk
                closing = b"</" + tag
                k = _find(s, n, i, closing)
                while k >= 0:
                    c = s[k + len(closing)] if k + len(closing) < n else 0
                    if _space(c) or c == 47 or c == 62:
                        break
                    k = _find(s, n, k + 1, closing)
                if k < 0:
                    return None
                if tag == b"script" and _find(s, k, i, b"<!--") >= 0:
                    return None
                i = k
        if not cut:
            return data
        _copy_range(out, &o, s, copied, n)
        return PyBytes_FromStringAndSize(<char*>out, o)
    finally:
        free(out)


cdef inline void _copy_range(unsigned char* out, Py_ssize_t* o, const unsigned char* s,
                              Py_ssize_t start, Py_ssize_t end) noexcept:
    memcpy(out + o[0], s + start, end - start)
    o[0] += end - start


cdef Py_ssize_t _skip_tag(const unsigned char* s, Py_ssize_t n, Py_ssize_t k) noexcept:
    """Past the '>' of an end tag whose name starts at ``k``; -1 where the page ends first
    or a quote or '<' stands in it (the tokenizer would read attributes there)."""
    cdef unsigned char q
    while k < n:
        q = s[k]
        if q == 62:
            return k + 1
        if q == 34 or q == 39 or q == 60:
            return -1
        k += 1
    return -1


# -- may_hide: whether mark_hidden could mark a tag of the page ---------------------------

from gongkai.reading.formats.html_signals import HIDING_PROPERTIES

cdef list _HIDING = sorted(p.encode() for p in HIDING_PROPERTIES)
cdef _Names _HIDING_NAMES
_fill(&_HIDING_NAMES, _HIDING)


cdef inline bint _ascii_space(unsigned char c) noexcept:
    """What str.isspace() holds of an ASCII character (\\s of a str pattern)."""
    return c == 32 or (9 <= c <= 13) or (28 <= c <= 31)


cdef int _char_before(const unsigned char* s, Py_ssize_t at, Py_ssize_t* start) noexcept:
    """The code point of the UTF-8 character that ends before ``at`` (its first byte's
    index in ``start``); -1 where the bytes are no UTF-8."""
    cdef Py_ssize_t i = at - 1, size
    while i >= 0 and (s[i] & 0xC0) == 0x80 and at - i <= 3:
        i -= 1
    if i < 0:
        return -1
    cdef int cp = _char_at(s, at, i, &size)
    if cp < 0 or i + size != at:
        return -1
    start[0] = i
    return cp


cdef inline bint _wide_space(int cp) noexcept:
    """A code point past ASCII that str.isspace() holds (\\s of a str pattern)."""
    return cp in (0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000) or (
        0x2000 <= cp <= 0x200A
    )


cdef inline bint _wide_space_or_letter(int cp) noexcept:
    """A code point past ASCII that \\s or an [a-z] of re.I may match (İ ı ſ K)."""
    return _wide_space(cp) or cp in (0x130, 0x131, 0x17F, 0x212A)


cdef Py_ssize_t _back_run(const unsigned char* s, Py_ssize_t i, int* chars, bint name) noexcept:
    """Back from ``i`` over white space (or, with ``name``, over ``[A-Za-z-]``), counting
    the characters in ``chars`` up to 40; where it stops, or -1 where a character past
    ASCII there may be white space or a letter of re.I."""
    cdef Py_ssize_t first
    cdef int cp
    cdef unsigned char c
    while chars[0] < 40 and i > 0:
        c = s[i - 1]
        if c >= 0x80:
            cp = _char_before(s, i, &first)
            return -1 if cp < 0 or _wide_space_or_letter(cp) else i
        if not (_letter(c) or c == 45 if name else _ascii_space(c)):
            return i
        i -= 1
        chars[0] += 1
    return i


cdef int _hiding_property(const unsigned char* s, Py_ssize_t at) noexcept:
    """Whether the CSS property before the colon at ``at`` is one that may hide, as
    ``_property_before`` reads it (within the 40 characters before, backwards: white space,
    then ``[a-z-]+`` ignoring case): 1, 0, or -1 where a character past ASCII leaves it
    open."""
    cdef Py_ssize_t name_end, name_start
    cdef int chars = 0
    name_end = _back_run(s, at, &chars, False)  # past the white space
    if name_end < 0:
        return -1
    name_start = _back_run(s, name_end, &chars, True)  # past the name
    if name_start < 0:
        return -1
    if name_start == name_end:
        return 0
    return 1 if _named(s, name_start, name_end, &_HIDING_NAMES) >= 0 else 0


cdef int _char_at(const unsigned char* s, Py_ssize_t n, Py_ssize_t i, Py_ssize_t* size) noexcept:
    """The code point of the UTF-8 character at ``i`` (its length in ``size``); -1 where
    the bytes are no UTF-8."""
    cdef unsigned char lead = s[i]
    cdef int cp, more, j
    if lead < 0x80:
        size[0] = 1
        return lead
    if (lead & 0xE0) == 0xC0:
        cp, more = lead & 0x1F, 1
    elif (lead & 0xF0) == 0xE0:
        cp, more = lead & 0x0F, 2
    elif (lead & 0xF8) == 0xF0:
        cp, more = lead & 0x07, 3
    else:
        return -1
    if i + more >= n:
        return -1
    for j in range(1, more + 1):
        if (s[i + j] & 0xC0) != 0x80:
            return -1
        cp = (cp << 6) | (s[i + j] & 0x3F)
    size[0] = more + 1
    return cp


cdef Py_ssize_t _skip_spaces(const unsigned char* s, Py_ssize_t n, Py_ssize_t i) noexcept:
    """Past the white space at ``i`` (\\s of a str pattern, past ASCII too); -1 where the
    bytes are no UTF-8."""
    cdef Py_ssize_t size
    cdef int cp
    while i < n:
        if s[i] < 0x80:
            if not _ascii_space(s[i]):
                return i
            i += 1
        else:
            cp = _char_at(s, n, i, &size)
            if cp < 0:
                return -1
            if not _wide_space(cp):
                return i
            i += size
    return i


cdef int _hiding_value(const unsigned char* s, Py_ssize_t n, Py_ssize_t at) noexcept:
    """Whether ``_MAYBE_HIDDEN`` matches at the colon ``at`` (a value that may hide:
    none, hidden, collapse, 0, .0, -ddd): 1, 0, or -1 where a character past ASCII
    leaves it open."""
    cdef Py_ssize_t i = _skip_spaces(s, n, at + 1), j, size
    cdef int cp
    if i < 0:
        return -1
    if i >= n or s[i] >= 0x80:
        return 0  # every value begins with an ASCII character
    cdef unsigned char c = s[i]
    if c == 48:  # 0
        return 1
    if c == 46:  # .0
        return 1 if i + 1 < n and s[i + 1] == 48 else 0
    if c == 45:  # -\\s*\\d{3}
        i = _skip_spaces(s, n, i + 1)
        if i < 0:
            return -1
        for j in range(3):
            if i + j >= n:
                return 0
            if s[i + j] >= 0x80:
                return -1  # a digit past ASCII (\\d)
            if not (48 <= s[i + j] <= 57):
                return 0
        return 1
    cdef const char* word
    cdef Py_ssize_t m
    if c == 110 or c == 78:
        word, m = b"none", 4
    elif c == 104 or c == 72:
        word, m = b"hidden", 6
    elif c == 99 or c == 67:
        word, m = b"collapse", 8
    else:
        return 0
    for j in range(m):
        if i + j >= n:
            return 0
        if s[i + j] >= 0x80:
            cp = _char_at(s, n, i + j, &size)
            # İ ı for the i of hidden, ſ for the s of collapse (what re.I matches)
            if cp < 0 or (m == 6 and j == 1 and cp in (0x130, 0x131)) or (
                m == 8 and j == 6 and cp == 0x17F
            ):
                return -1
            return 0
        if _lower(s[i + j]) != <unsigned char>word[j]:
            return 0
    return 1


cdef struct _Marks:
    Py_ssize_t seen  # the bytes before this index are looked at
    Py_ssize_t lt  # the last '<' among them (-1: none)
    Py_ssize_t gt  # the last '>' among them (-1: none)


cdef bint _in_tag(const unsigned char* s, Py_ssize_t at, _Marks* m) noexcept:
    """mark_hidden's test: the last '<' before ``at`` opens a tag name ('<' and an ASCII
    letter) and no '>' stands between. ``at`` grows from call to call: ``m`` keeps the
    last '<' and '>' of the bytes already passed, so a page is looked at once, however
    many candidates it holds (a walk back from each would be quadratic, past the reach
    of the time limit, which C code does not hear)."""
    cdef Py_ssize_t i
    for i in range(m.seen, at):
        if s[i] == 60:
            m.lt = i
        elif s[i] == 62:
            m.gt = i
    if at > m.seen:
        m.seen = at
    return m.lt >= 0 and m.lt > m.gt and _letter(s[m.lt + 1])


cdef inline bint _attribute_end(unsigned char c) noexcept:
    """What may follow the word of a ``hidden`` attribute: space, tab, line break, > / =."""
    return c == 32 or c == 9 or c == 10 or c == 13 or c == 62 or c == 47 or c == 61


def may_hide(bytes data):
    """False where ``html_signals.mark_hidden`` on the page (``data``, UTF-8) surely
    marks no tag: no colon with a value that may hide after a property that may, and no
    ``hidden``/``HIDDEN`` word after white space, stands inside a tag as it reads them.
    True where it may (a character past ASCII where it matters leaves it open): the
    caller then asks mark_hidden."""
    cdef const unsigned char* s = <const unsigned char*>PyBytes_AS_STRING(data)
    cdef Py_ssize_t n = PyBytes_GET_SIZE(data)
    cdef Py_ssize_t at = 0, first
    cdef const unsigned char* p
    cdef int v, cp
    cdef _Marks marks = _Marks(0, -1, -1)
    while at < n:
        p = <const unsigned char*>memchr(s + at, 58, n - at)  # ':'
        if p is NULL:
            break
        at = p - s
        v = _hiding_value(s, n, at)
        if v != 0:
            if v < 0:
                return True
            v = _hiding_property(s, at)
            if v != 0 and (v < 0 or _in_tag(s, at, &marks)):
                return True
        at += 1
    for word in (b"hidden", b"HIDDEN"):
        marks = _Marks(0, -1, -1)
        at = _find(s, n, 0, word, False)
        while at >= 0:
            if at > 0 and at + 6 < n and _attribute_end(s[at + 6]):
                if s[at - 1] >= 0x80:
                    cp = _char_before(s, at, &first)
                    if cp < 0 or _wide_space_or_letter(cp):
                        return True
                elif _ascii_space(s[at - 1]) and _in_tag(s, at, &marks):
                    return True
            at = _find(s, n, at + 6, word, False)
    return False


# -- utf8_clean: the page is text as it stands ------------------------------------------

from libc.stdint cimport uint64_t


def utf8_clean(bytes data):
    """Whether ``data`` is what ``data.decode("utf-8")`` (strict) takes, without a BOM and
    without a control byte of ``html._CONTROL`` (NUL… ESC; tab, line breaks and form
    feed are text): a page the HTML reader may hand libxml2 as it is, and decode only if it
    must."""
    cdef const unsigned char* s = <const unsigned char*>PyBytes_AS_STRING(data)
    cdef Py_ssize_t n = PyBytes_GET_SIZE(data)
    cdef Py_ssize_t i = 0
    cdef unsigned char c, lo, hi
    cdef Py_ssize_t size, j
    cdef uint64_t word
    if n >= 3 and s[0] == 0xEF and s[1] == 0xBB and s[2] == 0xBF:
        return False
    while i < n:
        # eight ASCII bytes at a time, none below 0x20 (then each is looked at)
        if i + 8 <= n:
            memcpy(&word, s + i, 8)
            if (word & 0x8080808080808080ULL) == 0 and (
                ((word - 0x2020202020202020ULL) & ~word & 0x8080808080808080ULL) == 0
            ):
                i += 8
                continue
        c = s[i]
        if c < 0x80:
            if c < 0x20 and not (c == 9 or c == 10 or c == 12 or c == 13):
                return False
            i += 1
            continue
        # a lead byte: the length of its sequence and the range of its second byte
        # (no overlong form, no surrogate, nothing past U+10FFFF: Python's strict UTF-8)
        lo, hi = 0x80, 0xBF
        if 0xC2 <= c <= 0xDF:
            size = 2
        elif 0xE0 <= c <= 0xEF:
            size = 3
            if c == 0xE0:
                lo = 0xA0
            elif c == 0xED:
                hi = 0x9F
        elif 0xF0 <= c <= 0xF4:
            size = 4
            if c == 0xF0:
                lo = 0x90
            elif c == 0xF4:
                hi = 0x8F
        else:
            return False
        if i + size > n or not (lo <= s[i + 1] <= hi):
            return False
        for j in range(2, size):
            if (s[i + j] & 0xC0) != 0x80:
                return False
        i += size
    return True
