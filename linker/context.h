// The data every pass shares: the configuration, the input files, the
// global symbol table and the output chunks. One Context per link.
#pragma once
#include "common.h"
#include <elf.h>
#ifndef ELFCOMPRESS_ZSTD
#define ELFCOMPRESS_ZSTD 2  // gABI value; newer than glibc 2.36's <elf.h>
#endif
#include <stdatomic.h>

// ELF structures as read in place from input files. Archive members are
// only 2-byte aligned, so these views carry alignment 1 (GCC and clang
// allow a typedef to lower alignment); on x86-64 and aarch64 hosts the
// loads compile to the same instructions.
typedef Elf64_Ehdr ElfEhdr __attribute__((aligned(1)));
typedef Elf64_Shdr ElfShdr __attribute__((aligned(1)));
typedef Elf64_Sym ElfSym __attribute__((aligned(1)));
typedef Elf64_Rela ElfRela __attribute__((aligned(1)));
typedef Elf64_Chdr ElfChdr __attribute__((aligned(1)));

typedef struct Arch Arch;
typedef struct Context Context;
typedef struct ObjectFile ObjectFile;
typedef struct Archive Archive;
typedef struct InputSection InputSection;
typedef struct Symbol Symbol;
typedef struct Chunk Chunk;
typedef struct MergedChunk MergedChunk;
typedef struct Fragment Fragment;

// ---------------------------------------------------------------- options

// One command-line input in order, with the position-dependent state
// (-Bstatic, --whole-archive, --as-needed) that was in force where it stood.
typedef enum {
  ARG_FILE,         // a path
  ARG_LIB,          // -lNAME or -l:FILE
  ARG_GROUP_START,
  ARG_GROUP_END,
} ArgKind;

typedef struct {
  ArgKind kind;
  const char *name;
  bool whole_archive;
  bool as_needed;
  bool link_static;  // -Bstatic in force: only libNAME.a is searched
} InputArg;

enum { HASH_STYLE_SYSV = 1, HASH_STYLE_GNU = 2 };
enum { BSYMBOLIC_NONE, BSYMBOLIC_FUNCTIONS, BSYMBOLIC_ALL };
// What shared library inputs leave undefined: checked for executables by
// default (SHLIB_UNDEFINED_DEFAULT), always, or never.
enum { SHLIB_UNDEFINED_DEFAULT, SHLIB_UNDEFINED_REPORT, SHLIB_UNDEFINED_ALLOW };

// How the output file is written: chosen by the thread count (default);
// through a mapping of the file (--mmap-output-file); or whole in memory,
// then pwritten (--no-mmap-output-file).
enum { OUTPUT_AUTO, OUTPUT_MMAP, OUTPUT_BUFFER };

typedef enum { BUILD_ID_NONE, BUILD_ID_FAST, BUILD_ID_MD5, BUILD_ID_SHA1, BUILD_ID_UUID, BUILD_ID_HEX } BuildIdKind;

typedef struct {
  const char *name;
  const char *expr;  // symbol name or number
} Defsym;

// --section-start=NAME=ADDR, -Ttext/-Tdata/-Tbss.
typedef struct {
  const char *name;
  uint64_t addr;
} SectionStart;

// --reproduce: an argument (by index in Config.args) holding a path at
// OFFSET that the response file rewrites, or an argument it drops.
typedef enum { REPRO_PATH, REPRO_BASENAME, REPRO_DROP } ReproKind;
typedef struct {
  uint32_t index;
  uint32_t offset;
  ReproKind kind;
} ReproArg;

typedef enum { SORT_SECTION_NONE, SORT_SECTION_NAME, SORT_SECTION_ALIGNMENT } SortSection;

// --unresolved-symbols: with no shared libraries, ignore-in-shared-libs
// is report-all and ignore-in-object-files is ignore-all.
enum { UNRESOLVED_REPORT, UNRESOLVED_IGNORE };

typedef struct {
  const char *output;
  const char *entry;
  const char *sysroot;
  const char *emulation;  // -m
  VEC(const char *) lib_paths;
  VEC(InputArg) inputs;
  VEC(const char *) undefined;  // -u
  VEC(const char *) require_defined;
  VEC(Defsym) defsyms;
  bool is_static;
  bool pie;                       // position-independent output: -pie, -static-pie or -shared
  bool shared;                    // -shared: a shared library
  const char *soname;             // -soname / -h
  uint8_t bsymbolic;              // BSYMBOLIC_*: definitions bind locally
  bool no_undefined;              // --no-undefined / -z defs (shared libraries)
  bool gc_sections;
  bool print_gc_sections;
  bool strip_all;
  bool strip_debug;
  int compress_debug;  // --compress-debug-sections: 0 none, ELFCOMPRESS_ZLIB, ELFCOMPRESS_ZSTD
  bool eh_frame_hdr;
  bool relro;
  bool z_now;
  bool z_origin;
  bool pack_relative_relocs;      // -z pack-relative-relocs: DT_RELR
  bool z_notext;                  // -z notext: text relocations allowed
  bool export_dynamic;            // --export-dynamic / -E
  bool new_dtags;                 // DT_RUNPATH (default) rather than DT_RPATH
  uint8_t hash_style;             // HASH_STYLE_* bits
  VEC(const char *) rpaths;       // -rpath, in order
  VEC(const char *) version_scripts;  // --version-script files
  VEC(const char *) exclude_libs;     // --exclude-libs archive names, or "ALL"
  VEC(const char *) export_dynamic_symbols;  // --export-dynamic-symbol globs
  VEC(const char *) dynamic_lists;    // --dynamic-list files
  const char *init_symbol, *fini_symbol;  // -init, -fini (NULL: _init, _fini)
  uint32_t dt_flags_1;                // -z nodelete and friends
  uint8_t shlib_undefined;            // SHLIB_UNDEFINED_*
  bool execstack;
  bool execstack_set;
  bool allow_multiple_definition;
  bool noinhibit_exec;
  uint8_t unresolved_symbols;     // --unresolved-symbols: UNRESOLVED_REPORT or UNRESOLVED_IGNORE
  bool warn_unresolved_symbols;   // --warn-unresolved-symbols: warnings instead of errors
  bool print_stats;
  uint8_t output_method;  // OUTPUT_AUTO, OUTPUT_MMAP, OUTPUT_BUFFER
  bool warn_common;
  BuildIdKind build_id;
  uint8_t build_id_hex[64];
  size_t build_id_hex_len;
  uint64_t image_base;
  bool image_base_set;
  uint64_t max_page_size;
  uint64_t common_page_size;
  int threads;
  int error_limit;
  bool version_only;
  const char *dynamic_linker;
  const char *map_file;      // -Map=FILE; "-" for -M (stdout)
  const char *why_extract;   // --why-extract=FILE
  const char *time_trace;    // --time-trace[=FILE]
  VEC(const char *) trace_symbols;  // -y / --trace-symbol
  VEC(const char *) wrap_symbols;   // --wrap
  VEC(SectionStart) section_starts; // --section-start, -Ttext, -Tdata, -Tbss
  bool omagic;                      // -N: one RWX segment, nothing page-aligned
  bool nmagic;                      // -n: one segment, data on the next page
  bool separate_code;               // -z separate-code: code on pages of its own
  SortSection sort_section;         // --sort-section
  int sort_common;                  // --sort-common: 0 off, 1 descending, 2 ascending
  const char *reproduce;            // --reproduce=FILE.tar
  const char *print_archive_stats;  // --print-archive-stats=FILE
  VEC(const char *) args;           // the command line, @files expanded
  VEC(ReproArg) repro_args;         // --reproduce: what to rewrite in args
} Config;

// ---------------------------------------------------------------- inputs

// 128 bytes: a link holds one per input section (two million in the 1 GB
// link), so what only one kind of section needs shares a union.
struct InputSection {
  ObjectFile *file;
  const char *name;
  const uint8_t *data;      // NULL for SHT_NOBITS
  uint64_t size;            // .eh_frame: its output size once finalized
  uint64_t flags;
  const ElfRela *rels;
  Chunk *osec;              // output chunk holding this section
  uint64_t offset;          // offset within osec
  // Range-extension thunks: the group serving this section's branches.
  struct ThunkGroup *thunk_group;
  union {
    struct {                    // is_merge (SHF_MERGE): pieces sorted by input offset
      uint32_t *piece_offsets;
      Fragment **pieces;
      uint64_t *piece_hashes;   // while merging
    };
    struct EhRecord *eh_records;  // is_eh_frame: the records, rewritten at output time
    struct ThunkGroup *thunks;    // a linker-made thunk section (no file): its thunks
  };
  union {
    uint32_t npieces;
    uint32_t eh_nrecords;
  };
  uint32_t type;
  uint32_t shndx;
  uint32_t nrels;
  uint32_t num_dynrel;      // static-pie: dynamic relocations it produces ...
  uint32_t dynrel_index;    // ... and where its share of .rela.dyn begins
  uint8_t p2align;
  bool is_alive;            // false when gc'd, discarded or not emitted
  bool is_merge;            // split into pieces (merge.c)
  bool is_eh_frame;
  bool is_visited;          // gc mark
  bool is_compressed;       // SHF_COMPRESSED until decompress_sections runs
  bool has_relr;            // -z pack-relative-relocs: some relocation here goes to .relr.dyn
};

// A COMDAT group's signature, interned once (comdat.c); the first loaded
// file that has the group owns it, and the others drop their copies.
typedef struct {
  const char *name;
  uint32_t len;
  ObjectFile *owner;
} ComdatGroup;

typedef struct {
  ComdatGroup *group;
  uint32_t shndx;  // the SHT_GROUP section
} ComdatRef;

struct ObjectFile {
  const char *path;          // file name as found
  const char *member;        // archive member name, or NULL
  const uint8_t *data;
  size_t size;
  uint32_t priority;         // position in load order (creation order until loaded)
  bool is_alive;             // loaded into the link
  Archive *archive;
  const ElfEhdr *ehdr;
  const ElfShdr *shdrs;
  uint32_t nshdrs;
  const char *shstrtab;
  uint64_t shstrtab_size;
  const ElfSym *esyms;
  uint32_t nsyms;
  uint32_t first_global;
  const char *strtab;
  uint64_t strtab_size;
  const uint8_t *symtab_shndx;  // SHT_SYMTAB_SHNDX words, read with rd32
  InputSection **sections;   // by section index; NULL if not included
  Symbol **syms;             // by symbol index
  bool headers_parsed;       // object_parse_headers succeeded
  bool is_prepared;          // sections and locals ready
  bool is_interned;          // every global has its Symbol
  bool is_broken;            // a parse error was reported
  bool is_queued;            // picked for parallel preparation
  Symbol *locals;            // storage for the first_global local symbols
  uint32_t ngroups;          // SHT_GROUP sections
  uint32_t ncomdats;         // ... of which well-formed COMDAT groups, in section order:
  ComdatRef *comdats;
  bool needs_exec_stack;
  bool has_gnu_stack_note;
  uint32_t feature_1_and;  // .note.gnu.property, AND-merged
  bool has_feature_property;
  // .symtab output: count and byte size of kept locals.
  uint32_t num_local_out;
  uint32_t local_strtab_size;
  uint64_t local_out_index;
  uint64_t local_strtab_offset;
  struct SharedInfo *shared;  // set for a shared library (ET_DYN input)
};

// What a shared library input adds to its ObjectFile: esyms/strtab are its
// .dynsym/.dynstr, and these are the rest.
typedef struct SharedInfo {
  const char *soname;          // DT_SONAME, else the name it was found by
  const uint8_t *versym;       // .gnu.version: one 16-bit index per .dynsym entry
  const char **version_names;  // .gnu.version_d names by version index
  uint32_t num_versions;
  VEC(const char *) needed;    // its own DT_NEEDED entries
  bool as_needed;              // --as-needed was in force where it stood
  bool is_needed;              // gets a DT_NEEDED entry
  uint32_t soname_offset;      // in the output's .dynstr
} SharedInfo;

typedef struct {
  const char *name;
  uint64_t offset;   // header offset within the archive
  uint32_t namelen;
  int32_t member;    // index in members, -1 until looked up
  Symbol *sym;       // the name's symbol, once the archive is first scanned
} ArmapEntry;

typedef struct {
  const char *name;
  const uint8_t *data;
  size_t size;
  uint64_t header_offset;
  ObjectFile *obj;   // created on first use
  bool extracted;
  bool not_object;   // not ELF (lib.rmeta, text): never loaded
} ArchiveMember;

struct Archive {
  const char *path;
  const uint8_t *data;
  size_t size;
  bool members_read;     // archive_read_members has run ...
  bool is_broken;        // ... and found it damaged (reported)
  bool has_armap;
  VEC(ArmapEntry) armap;
  VEC(ArchiveMember) members;
  bool whole_archive;
  bool armap_resolved;   // armap entries point at their members
  bool armap_broken;     // ... or one of them points nowhere (reported)
  bool scanned;          // a scan ended having nothing more to load ...
  uint64_t scanned_generation;  // ... when ctx->wanted_generation was this
  // Index entries that a scan could still act on, in index order: an
  // entry whose member is loaded, or whose symbol has a strong definition
  // from an object, never can again, and scans skip it (most of LLVM's
  // index after the first pass).
  uint32_t *live;
  size_t nlive;
};

// A loaded input in command-line order, after scripts are expanded.
typedef enum { INPUT_OBJECT, INPUT_ARCHIVE, INPUT_SHARED, INPUT_GROUP_START, INPUT_GROUP_END } InputKind;
typedef struct {
  InputKind kind;
  ObjectFile *obj;
  Archive *archive;
} Input;

// ---------------------------------------------------------------- symbols

enum {
  NEEDS_GOT = 1 << 0,
  NEEDS_GOTTP = 1 << 1,
  NEEDS_TLSGD = 1 << 2,
  NEEDS_IPLT = 1 << 3,
  NEEDS_TLSLD = 1 << 4,
  // Dynamic links, for symbols defined in a shared library:
  NEEDS_PLT = 1 << 5,        // called: a PLT entry and a .got.plt slot
  // Executables: used by position-dependent code, which needs a fixed
  // address: data is copied into .dynbss, a function's PLT entry becomes
  // its address (a canonical PLT entry).
  NEEDS_COPY = 1 << 6,
  NEEDS_TLSDESC = 1 << 7,    // a TLS descriptor (two GOT words) bound at run time
};

// A symbol is 64 bytes: a link holds one per local and global symbol of
// every input (half a million in a 100 MB link), so its size is a large
// share of xld's memory. What only a few symbols need (GOT and TLS slots,
// an IFUNC stub, a linker-made symbol's chunk, --why-extract's first
// reference) lives in ctx->sym_aux, indexed by aux.
struct Symbol {
  // The first 16 bytes (flags, name) share a cache line wherever the
  // record lies (records are 16-byte aligned): the resolution walk, the
  // archive scans and name lookups read nothing else of most symbols.
  _Atomic uint8_t needs;   // NEEDS_* set by the relocation scan
  uint8_t type : 4;
  uint8_t binding : 4;
  uint8_t visibility : 2;
  uint8_t def_rank : 2;    // see symbols.h; 0 = undefined
  bool is_local : 1;
  bool has_strong_ref : 1; // some loaded file refers to it non-weakly
  bool is_referenced : 1;
  bool is_linker_defined : 1;
  bool is_discarded : 1;   // defined in a section that is not in the output
  bool is_traced : 1;      // named by -y / --trace-symbol
  bool is_listed : 1;      // in ctx->symbols_in_order
  bool is_unnamed : 1;     // local that .symtab leaves out: a section symbol, no name, or a .L temporary
  bool is_exported : 1;    // defined here and listed in .dynsym (a shared library refers to it, or -E)
  bool is_preemptible : 1; // bound by name at run time: references go through the GOT, PLT or dynamic relocations
  uint32_t namelen;
  const char *name;
  ObjectFile *file;        // defining file; NULL if undefined or linker-made
  InputSection *isec;      // defining section; NULL if absolute/undefined
  Fragment *frag;          // defining merged piece, for SHF_MERGE sections
  uint64_t value;          // offset in isec/frag/chunk, or absolute value
  uint64_t size;
  uint32_t esym_index;
  uint32_t aux;            // index in ctx->sym_aux; 0 = none
};

// The rarely needed parts of a symbol. Slots are -1 when absent.
typedef struct {
  int32_t got_index;       // slots in .got
  int32_t gottp_index;
  int32_t tlsgd_index;
  int32_t iplt_index;      // IFUNC stub and .got.plt slot
  int32_t plt_index;       // PLT entry (dynamic links)
  int32_t tlsdesc_index;   // TLS descriptor: two .got slots
  int32_t dynsym_index;    // entry in .dynsym
  Chunk *chunk;            // for symbols the linker defines relative to a chunk
  ObjectFile *first_ref;   // first file to refer to it (--why-extract)
} SymbolAux;

// ---------------------------------------------------------------- output

typedef enum {
  CHUNK_OUTPUT_SECTION,  // regular input sections concatenated
  CHUNK_MERGED,          // deduplicated SHF_MERGE pieces
  CHUNK_SYNTHETIC,       // linker-made content (headers, .got, ...)
} ChunkKind;

struct Chunk {
  const char *name;
  ChunkKind kind;
  uint32_t type;
  uint64_t flags;
  uint64_t addr;
  uint64_t offset;
  uint64_t size;
  uint64_t align;
  uint64_t entsize;
  uint32_t link, info;
  uint32_t shndx;          // index in the section header table, 0 if none
  uint32_t rank;           // position class in the output
  bool is_relro;
  bool is_header;          // ELF header / program headers: no section header
  bool is_empty_ok;        // emit even when empty
  bool starts_segment;     // layout: a PT_LOAD begins here (fixed address, -z separate-code)
  VEC(InputSection *) members;
  // Synthetic chunks fill in their bytes here; size is set by layout.
  void (*write)(Context *ctx, Chunk *c, uint8_t *buf);
  MergedChunk *merged;
  // --compress-debug-sections: the finished bytes (header and compressed
  // data) that replace the chunk's contents in the output.
  uint8_t *compressed;
};

struct Fragment {
  MergedChunk *parent;
  uint64_t offset;
  const uint8_t *data;
  uint32_t size;
  uint8_t p2align;
  bool is_placed;           // has its offset
};

// A merged section's piece table (open addressing, sized for every piece
// of its members before they are inserted). Threads insert concurrently:
// a slot is claimed by its hash, then its Fragment is published.
typedef struct {
  Fragment **slots;
  uint64_t *hashes;       // 0: empty slot
  size_t nslots;
} PieceTable;

struct MergedChunk {
  Chunk chunk;
  uint64_t entsize;
  PieceTable table;
  VEC(InputSection *) members;  // input sections, in input order
  VEC(Fragment *) order;        // first-seen order, for deterministic offsets
};

typedef struct {
  uint32_t type, flags;
  uint64_t offset, vaddr, filesz, memsz, align;
} Phdr;

// ---------------------------------------------------------------- versions

// A version script's node: the version it names (NULL for the anonymous
// node) and its global and local patterns.
typedef struct {
  const char *text;
  bool is_cxx;    // matched against demangled names (extern "C++")
  bool is_glob;   // has * ? or [ (a quoted name never is)
} VersionPattern;

typedef struct VersionNode {
  const char *name;
  uint16_t index;                // in .gnu.version_d (2...), or 1 for the anonymous node
  VEC(VersionPattern) globals, locals;
  VEC(const char *) parents;     // versions this one depends on
} VersionNode;

typedef struct {
  VEC(VersionNode *) nodes;
  uint16_t num_named;
  bool anonymous;
  bool is_list;   // dynamic lists: any number of anonymous nodes
  bool has_cxx;   // some pattern is extern "C++" (names are demangled to look up)
} VersionScript;

// ---------------------------------------------------------------- context

struct Context {
  Config cfg;
  const Arch *arch;
  VEC(Input) inputs;
  VEC(ObjectFile *) objs;      // loaded objects in priority order
  VEC(Archive *) archives;
  uint32_t next_priority;
  // Bumped whenever an archive scan could find something new: a symbol
  // that is still undefined gets its first non-weak reference, or a
  // symbol becomes COMMON. An archive whose last fruitless scan saw the
  // same generation is not scanned again.
  uint64_t wanted_generation;
  uint32_t load_count;
  ObjectFile *internal_obj;    // owner of linker-made symbols
  // The symbols that writing the output refers to by name, looked up
  // before the table is released (symtab_release).
  Symbol *entry_symbol;        // e_entry
  Symbol *init_symbol, *fini_symbol;  // DT_INIT, DT_FINI

  // Global symbol table (open addressing over Symbol pointers, with each
  // slot's name hash beside it; a hash of 0 marks an empty slot).
  Symbol **symtab_slots;
  uint64_t *symtab_hashes;
  size_t symtab_cap;
  bool symtab_released;        // symtab_release ran: no more lookups
  _Atomic size_t symtab_count;
  VEC(Symbol *) symbols_in_order;  // insertion order, for determinism
  VEC(SymbolAux) sym_aux;          // entry 0 is unused (aux == 0: none)

  // COMDAT group signatures (open addressing, hashes beside the slots).
  ComdatGroup **comdat_slots;
  uint64_t *comdat_hashes;
  size_t comdat_cap, comdat_count;

  VEC(InputSection *) extra_sections;  // linker-made inputs (COMMON symbols)
  VEC(Chunk *) chunks;         // in output order after layout
  VEC(MergedChunk *) merged;
  VEC(Phdr) phdrs;

  // Synthetic chunks (NULL when not needed).
  Chunk *ehdr, *phdr, *got, *gotplt, *iplt, *rela_dyn, *rela_plt, *dynamic,
      *dynsym, *dynstr, *eh_frame, *eh_frame_hdr, *build_id, *gnu_property,
      *symtab, *strtab, *shstrtab, *common, *relro_padding, *interp, *plt, *gnu_hash, *hash, *versym,
      *verneed, *verdef, *dynbss, *relr;
  VEC(uint64_t) relr_addrs;    // .relr.dyn: the places it relocates, sorted

  // Dynamic links.
  bool is_dynamic;             // a PT_INTERP executable (shared libraries or -pie without -static)
  VEC(ObjectFile *) dsos;      // shared library inputs, in command-line order
  VEC(Symbol *) plt_syms, copy_syms, dynsyms;  // dynsyms: .dynsym from entry 1
  uint32_t num_local_dynsyms;  // .dynsym entries before the first export
  uint32_t num_verneed;        // .gnu.version_r: libraries with versions
  uint64_t num_got_dynrel;     // .rela.dyn entries the GOT writes
  struct DynamicInfo *dyn;     // strings and tables built by dynamic.c
  VersionScript version_script;
  VersionScript dynamic_list;  // --dynamic-list and --export-dynamic-symbol (one node of globals)
  uint32_t num_verdef;         // .gnu.version_d entries, the base one included
  bool plt_landing_pads;       // the PLT starts each entry with a landing pad (BTI)
  _Atomic bool has_textrel;    // -z notext: a dynamic relocation in a read-only section (DT_TEXTREL)

  VEC(Symbol *) got_syms, gottp_syms, tlsgd_syms, tlsdesc_syms, iplt_syms;
  bool needs_tlsld;
  int32_t tlsld_index;
  uint32_t num_got_slots;
  uint64_t num_dynrel;         // RELATIVE relocations in .rela.dyn
  uint64_t num_fdes;           // FDEs in the output .eh_frame (eh_frame_finalize)
  uint64_t num_relative_total;

  uint64_t tls_begin, tls_end, tls_align, tp_addr;
  uint32_t feature_1_and;
  bool has_feature_property;

  uint8_t *buf;                // the output mapping
  uint64_t filesize;
  uint64_t alloc_file_end;  // file offset after the last allocated chunk
};

// Address of a symbol after layout.
uint64_t symbol_address(Context *ctx, const Symbol *sym);
// Where calls to PLT entry INDEX go, and where the entry's bytes start.
uint64_t plt_entry_address(Context *ctx, uint32_t index);
uint64_t plt_entry_start(Context *ctx, uint32_t index);
uint32_t plt_header_size(const Context *ctx);
uint32_t plt_entry_size(const Context *ctx);
bool wants_landing_pads(const Context *ctx);
uint32_t iplt_entry_size(const Context *ctx);

// A symbol's rarely needed parts. symbol_aux_of reads (every slot -1 when
// the symbol has none); symbol_aux creates them, from one thread only.
extern const SymbolAux no_symbol_aux;
static inline const SymbolAux *symbol_aux_of(const Context *ctx, const Symbol *s) {
  return s->aux ? &ctx->sym_aux.data[s->aux] : &no_symbol_aux;
}
SymbolAux *symbol_aux(Context *ctx, Symbol *s);
static inline int32_t symbol_got_index(const Context *ctx, const Symbol *s) { return symbol_aux_of(ctx, s)->got_index; }
static inline int32_t symbol_gottp_index(const Context *ctx, const Symbol *s) { return symbol_aux_of(ctx, s)->gottp_index; }
static inline int32_t symbol_tlsgd_index(const Context *ctx, const Symbol *s) { return symbol_aux_of(ctx, s)->tlsgd_index; }
static inline int32_t symbol_iplt_index(const Context *ctx, const Symbol *s) { return symbol_aux_of(ctx, s)->iplt_index; }
static inline int32_t symbol_plt_index(const Context *ctx, const Symbol *s) { return symbol_aux_of(ctx, s)->plt_index; }
static inline int32_t symbol_tlsdesc_index(const Context *ctx, const Symbol *s) { return symbol_aux_of(ctx, s)->tlsdesc_index; }
static inline int32_t symbol_dynsym_index(const Context *ctx, const Symbol *s) { return symbol_aux_of(ctx, s)->dynsym_index; }
static inline Chunk *symbol_chunk(const Context *ctx, const Symbol *s) { return symbol_aux_of(ctx, s)->chunk; }
static inline bool symbol_is_defined(const Symbol *s) { return s->def_rank != 0; }
static inline bool symbol_is_ifunc(const Symbol *s) { return s->type == STT_GNU_IFUNC; }
// Defined by a shared library: resolved at run time by the dynamic loader.
static inline bool symbol_is_imported(const Symbol *s) { return s->def_rank && s->file && s->file->shared; }
// Absolute symbols keep their value in a position-independent output.
bool symbol_is_absolute(const Context *ctx, const Symbol *sym);
// The address of the definition itself, not of an IFUNC's stub.
uint64_t symbol_definition_address(Context *ctx, const Symbol *sym);
const char *file_name(const ObjectFile *f);  // "a.o" or "lib.a(m.o)"
