/* A real library: Lua 5.4 (liblua5.4.a from liblua5.4-dev) running an
   embedded script, with C functions called from Lua and back. */
#include <lua5.4/lauxlib.h>
#include <lua5.4/lua.h>
#include <lua5.4/lualib.h>
#include <stdio.h>

static int c_add(lua_State *L) {
  lua_Integer a = luaL_checkinteger(L, 1), b = luaL_checkinteger(L, 2);
  lua_pushinteger(L, a + b);
  return 1;
}

static const char script[] =
    "local t = {}\n"
    "for i = 1, 10 do t[#t + 1] = i * i end\n"
    "print('squares', table.concat(t, ','))\n"
    "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end\n"
    "print('fib(25)', fib(25))\n"
    "print(string.format('%5.2f|%-6s|%x|%q', math.pi, 'lua', 255, 'a\\nb'))\n"
    "print('integer division', 7 // 2, 7.0 // 2, 7 % -3, 2^10, 1/3)\n"
    "print('math', math.floor(-3.5), math.max(4, 9, 2), math.tointeger(3.0), math.type(1), math.type(1.0))\n"
    "local words = {}\n"
    "for w in ('the quick brown fox jumps over the lazy dog'):gmatch('%a+') do words[#words + 1] = w:upper() end\n"
    "table.sort(words)\n"
    "print('sorted', table.concat(words, ' '))\n"
    "print('gsub', ('hello world'):gsub('o', '0'))\n"
    "local co = coroutine.wrap(function(a) for i = 1, 3 do a = coroutine.yield(a * i) end return 'done' end)\n"
    "print('coroutine', co(10), co(20), co(30), co(40))\n"
    "local ok, err = pcall(function() error({code = 42}) end)\n"
    "print('pcall', ok, type(err), err.code)\n"
    "local ok2, err2 = pcall(function() local x = nil; return x.field end)\n"
    "print('error message', ok2, err2)\n"
    "local mt = {__add = function(a, b) return setmetatable({v = a.v + b.v}, getmetatable(a)) end,\n"
    "            __tostring = function(s) return 'V(' .. s.v .. ')' end}\n"
    "local v = setmetatable({v = 1}, mt) + setmetatable({v = 2}, mt)\n"
    "print('metatable', tostring(v))\n"
    "print('c function', c_add(40, 2))\n"
    "local s = 0 for k, x in ipairs({5, 6, 7}) do s = s + k * x end print('ipairs', s)\n"
    "print('utf8', utf8.char(72, 228, 8364), utf8.len('h\\u{e4}\\u{20ac}'))\n"
    "print('string.pack', string.unpack('<i4', string.pack('<i4', -2)))\n"
    "collectgarbage() print('gc ok', collectgarbage('count') > 0)\n"
    "return 'script result'\n";

int main(void) {
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  lua_register(L, "c_add", c_add);
  if (luaL_loadbuffer(L, script, sizeof script - 1, "=script") != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK) {
    printf("lua error: %s\n", lua_tostring(L, -1));
    return 1;
  }
  printf("returned: %s\n", lua_tostring(L, -1));
  lua_close(L);
  return 0;
}
