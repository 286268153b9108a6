# lit configuration for the sattn suites. The build writes lit.site.cfg.py
# (paths) and points lit at this file.
import os
import lit.formats

config.name = "sattn"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".sattn", ".c"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.sattn_obj_root, "test")
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "Inputs", "unit", "CMakeLists.txt"]

# Our tools first, then LLVM's (FileCheck, not, count, mlir-opt).
config.environment["PATH"] = os.pathsep.join(
    [config.sattn_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])
config.substitutions.append(("%sattn_irdl", config.sattn_irdl))
config.substitutions.append(("%examples", config.sattn_examples_dir))
config.substitutions.append(("%test_bin", os.path.join(config.sattn_obj_root, "test")))
