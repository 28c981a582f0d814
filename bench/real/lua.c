/* Benchmark driver for liblua5.4.a: runs a script exercising closures,
 * tables, strings, math and coroutines, and prints its results. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>

static const char *script =
    "local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end\n"
    "local t = {}\n"
    "for i = 1, 1000 do t[#t+1] = string.format('%04d', (i * 7919) % 1000) end\n"
    "table.sort(t)\n"
    "local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i * i) end end)\n"
    "print('lua', _VERSION, fib(20), t[1], t[#t], #table.concat(t), co(), co(), co())\n"
    "print(string.format('%.6f', math.sin(1.0)), ('linker'):upper(), ('a,b,c'):gsub(',', ';'))\n";

int main(void) {
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  if (luaL_dostring(L, script) != LUA_OK) {
    fprintf(stderr, "lua: %s\n", lua_tostring(L, -1));
    return 1;
  }
  lua_close(L);
  return 0;
}
