// Benchmark driver for LLVM 14's static libraries: initialises every
// target, builds a module with one function through IRBuilder, verifies
// it and prints it, with the names of the registered targets (which
// shows that the targets' registration code was linked and ran).  Linking
// it pulls in a large part of libLLVM*.a.
#include <algorithm>
#include <string>
#include <vector>

#include <llvm/MC/TargetRegistry.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>

int main() {
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();

  llvm::LLVMContext ctx;
  llvm::Module mod("bench", ctx);
  llvm::IRBuilder<> b(ctx);
  auto *i32 = b.getInt32Ty();
  auto *fty = llvm::FunctionType::get(i32, {i32, i32}, false);
  auto *fn = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, "muladd", mod);
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", fn));
  auto args = fn->arg_begin();
  llvm::Value *x = &*args++, *y = &*args;
  b.CreateRet(b.CreateAdd(b.CreateMul(x, y), b.getInt32(42)));
  if (llvm::verifyModule(mod, &llvm::errs())) return 1;
  mod.print(llvm::outs(), nullptr);

  std::vector<std::string> names;
  for (const llvm::Target &t : llvm::TargetRegistry::targets()) names.push_back(t.getName());
  std::sort(names.begin(), names.end());
  llvm::outs() << names.size() << " targets:";
  for (const auto &n : names) llvm::outs() << " " << n;
  llvm::outs() << "\n";
  return 0;
}
