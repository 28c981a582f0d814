#!/usr/bin/env bash
# Builds three archives whose members are in an unhelpful order:
#   liba.a   = a_unused.o a2.o a1.o      (a1 -> libb.a(b1) -> back to a2)
#   libb.a   = b_weak.o b1.o
#   libthird.a = c_unused.o c_func.o c_data.o   (b1 -> c_data: forward, after the group)
# and links: main.o --start-group liba.a libb.a --end-group -L. -lthird
set -e
mkdir -p lib
for f in a1 a2 a_unused b1 b_weak c_data c_func c_unused; do
  eval "$CC $CFLAGS -c \"\$SRC_DIR/lib/$f.c\" -o lib/$f.o"
done
rm -f liba.a libb.a libthird.a
(cd lib && $AR rcs ../liba.a a_unused.o a2.o a1.o)
(cd lib && $AR rcs ../libb.a b_weak.o b1.o)
(cd lib && $AR rcs ../libthird.a c_unused.o c_func.o c_data.o)
cat >"$LINK_ARGS_FILE" <<ARGS
-Wl,--start-group
$WORK/liba.a
$WORK/libb.a
-Wl,--end-group
-L$WORK
-lthird
ARGS
