// Version scripts (version_script.c): parsing, and which node a symbol
// name falls in.
#pragma once
#include "context.h"

// version_script_lookup: no node names the symbol, or a local: pattern does.
enum { VERSION_UNMATCHED = -1, VERSION_LOCAL = -2 };

// Reads every --version-script file into ctx->version_script.
void read_version_scripts(Context *ctx);
VersionNode *version_node_named(Context *ctx, const char *name);
// The version index a global pattern gives NAME, VERSION_LOCAL, or
// VERSION_UNMATCHED.
int version_script_lookup(Context *ctx, const char *name);
// Whether --dynamic-list or --export-dynamic-symbol names NAME.
bool dynamic_list_has(Context *ctx, const char *name);
