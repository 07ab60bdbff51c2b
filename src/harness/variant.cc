// Compile-and-load of kernel variants (see variant.h).
#include "harness/variant.h"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "harness/subprocess.h"
#include "harness/version.h"
#include "lar_config.h"

namespace lar {
namespace {

namespace fs = std::filesystem;

std::string Hash(const std::string& s) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ull;
  return StrFormat("%016llx", static_cast<unsigned long long>(h));
}

// Splits a compile command as meson writes it (arguments separated by
// spaces; quoted with ' or " when they contain any).
std::vector<std::string> SplitCommand(const std::string& command) {
  std::vector<std::string> out;
  std::string cur;
  bool in_arg = false;
  char quote = 0;
  for (size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (quote) {
      if (c == quote)
        quote = 0;
      else if (c == '\\' && quote == '"' && i + 1 < command.size())
        cur += command[++i];
      else
        cur += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_arg = true;
    } else if (c == ' ') {
      if (in_arg) out.push_back(cur);
      cur.clear();
      in_arg = false;
    } else if (c == '\\' && i + 1 < command.size()) {
      cur += command[++i];
      in_arg = true;
    } else {
      cur += c;
      in_arg = true;
    }
  }
  if (in_arg) out.push_back(cur);
  return out;
}

// The compiler and flags this build used for targets/<id>/kernels.cc, with
// include paths made absolute and output/dependency arguments removed.
std::optional<std::vector<std::string>> KernelCompileFlags(const std::string& id,
                                                           std::string* error) {
  const fs::path db = fs::path(LAR_BUILD_DIR) / "compile_commands.json";
  std::ifstream in(db);
  if (!in) {
    *error = "no " + db.string() + " (this lar was not run from its build tree)";
    return std::nullopt;
  }
  const nlohmann::json entries = nlohmann::json::parse(in, nullptr, false);
  const std::string suffix = "targets/" + id + "/kernels.cc";
  for (const nlohmann::json& e : entries) {
    const std::string file = e.value("file", "");
    if (file.size() < suffix.size() ||
        file.compare(file.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    const fs::path dir = e.value("directory", "");
    const std::vector<std::string> args = SplitCommand(e.value("command", ""));
    std::vector<std::string> out;
    for (size_t i = 0; i < args.size(); ++i) {
      const std::string& a = args[i];
      if (a == "-MQ" || a == "-MF" || a == "-o" || a == "-c") {
        ++i;
        continue;
      }
      // A warning in a candidate kernel is not a failed build: the
      // suite's -Werror stays out of trials.
      if (a == "-MD" || a == "-Werror" || a.rfind("-fdiagnostics-color", 0) == 0) continue;
      if (a.rfind("-I", 0) == 0 && a.size() > 2 && a[2] != '/') {
        out.push_back("-I" + (dir / a.substr(2)).lexically_normal().string());
        continue;
      }
      out.push_back(a);
    }
    if (out.empty()) break;
    return out;
  }
  *error = "no compile command for " + suffix + " in " + db.string();
  return std::nullopt;
}

bool WriteText(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace

std::optional<std::string> ReadKernelSource(const std::string& target_id) {
  std::ifstream in(fs::path(LAR_SOURCE_DIR) / "targets" / target_id / "kernels.cc");
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string KernelSourceHash(const std::string& source) { return Hash(source).substr(0, 12); }

std::optional<KernelVariant> LoadKernelVariant(const Target& target, const std::string& source,
                                               const std::string& state_dir, int instance,
                                               std::string* error) {
  if (!target.variant) {
    *error = "target " + target.id + " cannot load kernel variants";
    return std::nullopt;
  }
  const std::optional<std::vector<std::string>> flags = KernelCompileFlags(target.id, error);
  if (!flags) return std::nullopt;
  // The shared Highway helpers a kernel may call (src/simd/*.cc) are
  // compiled into every variant: the lar executable does not export its
  // symbols, and a variant must be a complete kernel on its own.
  // Their text (headers too) is part of the cache key.
  std::vector<fs::path> simd_files, helpers;
  for (const auto& entry : fs::directory_iterator(fs::path(LAR_SOURCE_DIR) / "src" / "simd")) {
    simd_files.push_back(entry.path());
    if (entry.path().extension() == ".cc") helpers.push_back(entry.path());
  }
  std::sort(simd_files.begin(), simd_files.end());
  std::sort(helpers.begin(), helpers.end());
  std::string key = source + "\n" + std::to_string(kHarnessVersion);
  for (const std::string& f : *flags) key += " " + f;
  for (const fs::path& h : simd_files) {
    std::ifstream in(h);
    std::ostringstream text;
    text << in.rdbuf();
    key += "\n" + h.filename().string() + "\n" + text.str();
  }
  const fs::path dir =
      fs::absolute(fs::path(state_dir) / "kernels" / (target.id + "-" + Hash(key)));
  const fs::path so = dir / "kernels.so";
  KernelVariant v;
  if (!fs::exists(so)) {
    // The copy sits first on the include path, so Highway's re-inclusion of
    // "targets/<id>/kernels.cc" finds it, and everything else (the contract
    // header, src/simd helpers) comes from this source tree.
    const fs::path kernel = dir / "targets" / target.id / "kernels.cc";
    const fs::path exporter = dir / "export.cc";
    const std::string ns = TargetNamespace(target.id);
    if (!WriteText(kernel, source) ||
        !WriteText(exporter,
                   "// Generated by lar: exports the kernel API of this variant.\n"
                   "#include \"" +
                       TargetHeader(target.id) +
                       "\"\n"
                       "extern \"C\" __attribute__((visibility(\"default\"))) const void* "
                       "lar_kernel_api() {\n"
                       "  static const auto api = " +
                       ns +
                       "::ShippedKernel();\n"
                       "  return &api;\n}\n"
                       "extern \"C\" __attribute__((visibility(\"default\"))) unsigned long "
                       "lar_kernel_api_size() {\n"
                       "  return sizeof(" +
                       ns + "::KernelApi);\n}\n")) {
      *error = "cannot write the variant sources under " + dir.string();
      return std::nullopt;
    }
    std::vector<std::string> base = {flags->front(), "-I" + dir.string()};
    base.insert(base.end(), flags->begin() + 1, flags->end());
    base.insert(base.end(), {"-fPIC", "-fvisibility=hidden", "-fvisibility-inlines-hidden"});
    std::vector<std::pair<fs::path, fs::path>> units = {{kernel, dir / "kernels.o"},
                                                        {exporter, dir / "export.o"}};
    for (const fs::path& h : helpers) {
      units.emplace_back(h, dir / ("simd-" + h.stem().string() + ".o"));
    }
    for (const auto& [src, obj] : units) {
      std::vector<std::string> argv = base;
      argv.insert(argv.end(), {"-c", src.string(), "-o", obj.string()});
      const CommandResult r = RunCommand(argv, true);
      if (r.exit_code != 0) {
        *error = "compiling " + src.string() + " failed:\n" + r.output;
        return std::nullopt;
      }
    }
    const std::string tmp = so.string() + ".tmp." + std::to_string(getpid());
    // -z defs: a symbol the variant lacks is a link error here, not a
    // dlopen failure later.
    std::vector<std::string> link_argv = {flags->front(), "-shared", "-o", tmp};
    for (const auto& unit : units) link_argv.push_back(unit.second.string());
    link_argv.insert(link_argv.end(), {"-lhwy", "-Wl,-Bsymbolic", "-Wl,-z,defs"});
    const CommandResult link = RunCommand(link_argv, true);
    if (link.exit_code != 0) {
      *error = "linking " + so.string() + " failed:\n" + link.output;
      return std::nullopt;
    }
    fs::rename(tmp, so);
    v.built_now = true;
  }
  fs::path load = so;
  if (instance > 0) {
    // dlopen returns the same mapping for the same path: copy the object.
    load = dir / ("kernels." + std::to_string(instance) + ".so");
    if (!fs::exists(load)) {
      const fs::path tmp = load.string() + ".tmp." + std::to_string(getpid());
      fs::copy_file(so, tmp, fs::copy_options::overwrite_existing);
      fs::rename(tmp, load);
    }
  }
  void* handle = dlopen(load.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    *error = std::string("cannot load ") + load.string() + ": " + dlerror();
    return std::nullopt;
  }
  using ApiFn = const void* (*)();
  using SizeFn = unsigned long (*)();
  const auto api = reinterpret_cast<ApiFn>(dlsym(handle, "lar_kernel_api"));
  const auto size = reinterpret_cast<SizeFn>(dlsym(handle, "lar_kernel_api_size"));
  if (api == nullptr || size == nullptr || size() != target.kernel_api_size) {
    *error = so.string() + " does not export the kernel interface of " + target.id +
             " (the contract header changed; start a new baseline)";
    return std::nullopt;
  }
  // Never unloaded: the variant's code runs until the process ends.
  v.target = target.variant(api());
  v.target.id = target.id + "@variant";
  v.so_path = load.string();
  return v;
}

}  // namespace lar
