#pragma once
#include "context.h"

typedef struct {
  bool whole_archive;
  bool as_needed;
  bool link_static;
} InputState;

void parse_options(Config *cfg, int argc, char **argv);
void print_help(void);
