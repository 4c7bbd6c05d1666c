# The kernel's variables and struct layouts, read from build/kernel.elf's
# symbols and DWARF (python3-pyelftools), and a typed view of guest RAM
# through them. Nothing here knows a struct offset: a field is found by
# name, so a renamed field fails with a message naming it instead of
# decoding garbage.
import struct

from elftools.elf.elffile import ELFFile
from elftools.elf.sections import SymbolTableSection


class DecodeError(Exception):
    """The image does not hold what the kernel's types say: a torn read
    of a running machine, or a pointer that leads nowhere. The caller
    shows the previous picture for this moment."""


class NullPointer(DecodeError):
    """A field path went through a NULL pointer."""


class LayoutError(Exception):
    """build/kernel.elf has no variable, struct or field the viewer
    needs: the kernel changed and tools/view/decode.py's table must be
    updated. Never a glitch: it is said once, clearly."""


class Type:
    """A C type as DWARF describes it: kind is one of base, pointer,
    struct, union, array, enum, void, func."""

    def __init__(self, kind, name, size):
        self.kind = kind
        self.name = name
        self.size = size
        self.fields = {}    # struct/union: name -> (offset, Type)
        self.target = None  # pointer: the type pointed to; array: element
        self.count = 0      # array: elements (0: unknown)
        self.enumerators = {}  # enum: value -> name
        self.signed = False

    def __repr__(self):
        return "<%s %s>" % (self.kind, self.name)

    def field(self, name):
        if self.kind not in ("struct", "union"):
            raise LayoutError("%s is not a struct: no field %s" %
                              (self.describe(), name))
        if name not in self.fields:
            raise LayoutError("%s has no field '%s' (fields: %s)" %
                              (self.describe(), name,
                               ", ".join(self.fields) or "none"))
        return self.fields[name]

    def describe(self):
        return "%s %s" % (self.kind, self.name or "(anonymous)")


class KernelTypes:
    """Variables (by compile unit and name) and their types."""

    def __init__(self, elf_path):
        self.path = elf_path
        with open(elf_path, "rb") as f:
            elf = ELFFile(f)
            if not elf.has_dwarf_info():
                raise LayoutError("%s has no DWARF (build it with -g)" %
                                  elf_path)
            self.symbols = {}
            for section in elf.iter_sections():
                if isinstance(section, SymbolTableSection):
                    for sym in section.iter_symbols():
                        if sym.name and sym.name not in self.symbols:
                            self.symbols[sym.name] = sym["st_value"]
            self._types = {}     # DIE offset -> Type
            self._structs = {}   # name -> complete struct DIE
            self.variables = {}  # (cu name, var name) -> (address, Type)
            self._load(elf.get_dwarf_info())

    def _load(self, dwarf):
        pending = []
        for cu in dwarf.iter_CUs():
            top = cu.get_top_DIE()
            cu_name = top.attributes["DW_AT_name"].value.decode()
            for die in top.iter_children():
                if die.tag in ("DW_TAG_structure_type", "DW_TAG_union_type") \
                        and "DW_AT_name" in die.attributes \
                        and "DW_AT_declaration" not in die.attributes:
                    name = die.attributes["DW_AT_name"].value.decode()
                    self._structs.setdefault(name, die)
                if die.tag != "DW_TAG_variable":
                    continue
                loc = die.attributes.get("DW_AT_location")
                if loc is None or loc.form != "DW_FORM_exprloc":
                    continue
                expr = loc.value
                if len(expr) != 5 or expr[0] != 0x03:  # DW_OP_addr
                    continue
                addr = struct.unpack("<I", bytes(expr[1:5]))[0]
                decl = die
                if "DW_AT_specification" in die.attributes:
                    decl = die.get_DIE_from_attribute("DW_AT_specification")
                if "DW_AT_name" not in decl.attributes:
                    continue
                name = decl.attributes["DW_AT_name"].value.decode()
                pending.append((cu_name, name, addr, decl))
        for cu_name, name, addr, decl in pending:
            self.variables[(cu_name, name)] = (addr, self._type_of(decl))

    def _type_of(self, die):
        if "DW_AT_type" not in die.attributes:
            return Type("void", "void", 0)
        return self._type(die.get_DIE_from_attribute("DW_AT_type"))

    def _type(self, die):
        # typedef, const, volatile: the type underneath.
        while die.tag in ("DW_TAG_typedef", "DW_TAG_const_type",
                          "DW_TAG_volatile_type", "DW_TAG_restrict_type",
                          "DW_TAG_atomic_type"):
            if "DW_AT_type" not in die.attributes:
                return Type("void", "void", 0)
            die = die.get_DIE_from_attribute("DW_AT_type")
        name = die.attributes["DW_AT_name"].value.decode() \
            if "DW_AT_name" in die.attributes else None
        if die.tag in ("DW_TAG_structure_type", "DW_TAG_union_type") and \
                "DW_AT_declaration" in die.attributes and name in \
                self._structs:
            die = self._structs[name]  # `struct slab;`: its definition
        if die.offset in self._types:
            return self._types[die.offset]
        size = die.attributes["DW_AT_byte_size"].value \
            if "DW_AT_byte_size" in die.attributes else 0
        if die.tag == "DW_TAG_base_type":
            t = Type("base", name, size)
            enc = die.attributes["DW_AT_encoding"].value
            t.signed = enc in (0x05, 0x06, 0x0d)  # signed, signed_char
            self._types[die.offset] = t
        elif die.tag == "DW_TAG_pointer_type":
            t = Type("pointer", None, size or 4)
            self._types[die.offset] = t
            t.target = self._type_of(die)
            t.name = "%s *" % (t.target.name or t.target.kind)
        elif die.tag in ("DW_TAG_structure_type", "DW_TAG_union_type"):
            t = Type("struct" if die.tag == "DW_TAG_structure_type"
                     else "union", name, size)
            self._types[die.offset] = t
            for child in die.iter_children():
                if child.tag != "DW_TAG_member" or \
                        "DW_AT_name" not in child.attributes:
                    continue
                loc = child.attributes.get("DW_AT_data_member_location")
                offset = loc.value if loc is not None else 0
                t.fields[child.attributes["DW_AT_name"].value.decode()] = \
                    (offset, self._type_of(child))
        elif die.tag == "DW_TAG_array_type":
            t = Type("array", None, size)
            self._types[die.offset] = t
            t.target = self._type_of(die)
            counts = []
            for child in die.iter_children():
                if child.tag != "DW_TAG_subrange_type":
                    continue
                if "DW_AT_count" in child.attributes:
                    counts.append(child.attributes["DW_AT_count"].value)
                elif "DW_AT_upper_bound" in child.attributes:
                    counts.append(
                        child.attributes["DW_AT_upper_bound"].value + 1)
                else:
                    counts.append(0)
            # int a[2][3]: an array of 2 arrays of 3.
            for inner in reversed(counts[1:]):
                sub = Type("array", None, inner * t.target.size)
                sub.target, sub.count = t.target, inner
                t.target = sub
            t.count = counts[0] if counts else 0
            t.size = t.count * t.target.size
            t.name = "%s[%d]" % (t.target.name, t.count)
        elif die.tag == "DW_TAG_enumeration_type":
            t = Type("enum", name, size or 4)
            for child in die.iter_children():
                if child.tag == "DW_TAG_enumerator":
                    t.enumerators[child.attributes["DW_AT_const_value"]
                                  .value] = \
                        child.attributes["DW_AT_name"].value.decode()
            self._types[die.offset] = t
        elif die.tag == "DW_TAG_subroutine_type":
            t = Type("func", "function", 0)
            self._types[die.offset] = t
        else:
            t = Type("base", name or die.tag, size)
            self._types[die.offset] = t
        return t

    def variable(self, cu_name, name):
        """(address, Type) of a variable of compile unit cu_name (None:
        a global, from any unit). A static that moved to another file is
        still found when its name is unique, and moved says so."""
        if cu_name is not None and (cu_name, name) in self.variables:
            return self.variables[(cu_name, name)], None
        found = [(cu, v) for (cu, n), v in self.variables.items()
                 if n == name]
        if len(found) == 1:
            cu, v = found[0]
            moved = None if cu_name is None else \
                "%s is in %s now, not %s" % (name, cu, cu_name)
            return v, moved
        where = ", ".join(cu for cu, _ in found) or "no file"
        raise LayoutError("build/kernel.elf has no variable '%s' in %s "
                          "(found in: %s): update tools/view/decode.py's "
                          "KERNEL_VARIABLES" % (name, cu_name or "any file",
                                                where))

    def symbol(self, name):
        if name not in self.symbols:
            raise LayoutError("build/kernel.elf has no symbol '%s': update "
                              "tools/view/decode.py's KERNEL_SYMBOLS" % name)
        return self.symbols[name]

    def struct(self, name):
        if name not in self._structs:
            raise LayoutError("build/kernel.elf has no struct %s: update "
                              "tools/view/decode.py" % name)
        return self._type(self._structs[name])


class Value:
    """A typed object in guest memory, like gdb.Value: v.get("a.b")
    follows fields (through pointers), v.int(), v.deref(), v[i]."""

    def __init__(self, mem, addr, type_):
        self.mem = mem      # has vread(va, n)
        self.addr = addr    # kernel virtual address
        self.type = type_

    def get(self, path):
        """A field path "a.b.c"; pointers on the way are followed."""
        v = self
        for name in path.split("."):
            if v.type.kind == "pointer":
                v = v.deref()
            offset, t = v.type.field(name)
            v = Value(v.mem, v.addr + offset, t)
        return v

    def has(self, name):
        t = self.type.target if self.type.kind == "pointer" else self.type
        return t.kind in ("struct", "union") and name in t.fields

    def int(self):
        size = self.type.size
        if self.type.kind not in ("base", "pointer", "enum") or \
                size not in (1, 2, 4, 8):
            raise LayoutError("%s is not a number" % self.type.describe())
        raw = self.mem.vread(self.addr, size)
        fmt = {1: "B", 2: "H", 4: "I", 8: "Q"}[size]
        if self.type.signed:
            fmt = fmt.lower()
        return struct.unpack("<" + fmt, raw)[0]

    def enum_name(self):
        n = self.int()
        return self.type.enumerators.get(n, str(n))

    def deref(self):
        if self.type.kind != "pointer":
            raise LayoutError("%s is not a pointer" % self.type.describe())
        p = self.int()
        if p == 0:
            raise NullPointer("NULL %s followed" % self.type.name)
        return Value(self.mem, p, self.type.target)

    def __getitem__(self, i):
        if self.type.kind == "array":
            t = self.type.target
            if self.type.count and not 0 <= i < self.type.count:
                raise DecodeError("index %d outside %s" % (i, self.type.name))
            return Value(self.mem, self.addr + i * t.size, t)
        if self.type.kind == "pointer":
            t = self.type.target
            return Value(self.mem, self.int() + i * t.size, t)
        raise LayoutError("%s cannot be indexed" % self.type.describe())

    def bytes(self, n=None):
        return self.mem.vread(self.addr, self.type.size if n is None else n)

    def string(self, limit=64):
        """A char array, or the string a char pointer points to."""
        if self.type.kind == "pointer":
            if self.int() == 0:
                return ""
            raw = self.mem.vread(self.int(), limit)
        else:
            raw = self.bytes()
        return raw.split(b"\0", 1)[0].decode("latin-1")
