#pragma once
#include <stdexcept>
#include <string>

struct Animal {
  virtual ~Animal();
  virtual std::string speak() const = 0;
};
struct Dog : Animal {
  std::string speak() const override;
};
struct Cat : Animal {
  std::string speak() const override;
};
struct Puppy : Dog {
  std::string speak() const override;
};

Animal *make_animal(int kind);

// Exceptions defined here and thrown in thrower.cc, caught in main.cc.
struct AppError : std::runtime_error {
  int code;
  AppError(const std::string &what, int code) : std::runtime_error(what), code(code) {}
};

void throw_runtime_error(const std::string &msg);
void throw_app_error(int code);
void throw_int(int v);
int call_and_rethrow(void (*fn)(int), int arg);
// Throws through a frame that has a destructor to run.
void throw_through_raii(std::string &log);
