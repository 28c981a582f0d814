#include "shapes.h"

// Key functions are out of line, so the vtables and typeinfo live here.
Animal::~Animal() {}
std::string Dog::speak() const { return "woof"; }
std::string Cat::speak() const { return "meow"; }
std::string Puppy::speak() const { return "yip (" + Dog::speak() + ")"; }

Animal *make_animal(int kind) {
  switch (kind) {
    case 0: return new Dog;
    case 1: return new Cat;
    default: return new Puppy;
  }
}
