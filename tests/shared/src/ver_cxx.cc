// Exported through extern "C++" { "api::twice(int)"; api::*; }.
namespace api {
int twice(int x) { return 2 * x; }
}
namespace detail {
int hidden(int x) { return x; }
}
