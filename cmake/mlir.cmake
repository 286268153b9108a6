# Finds MLIR 22 from Debian's llvm-22 packages and defines the interface
# target `sattn_mlir`: the small MLIRCAPI* archives plus the shared libMLIR.so
# and libLLVM.so. The imported MLIRCAPI* targets would pull static MLIR
# libraries in (139 MB per binary, MLIR twice in one process): link the
# archives by path instead (TOOLCHAIN.md).
set(SATTN_LLVM_ROOT "/usr/lib/llvm-22" CACHE PATH "LLVM/MLIR 22 install prefix")
find_package(MLIR 22.1 REQUIRED CONFIG PATHS "${SATTN_LLVM_ROOT}/lib/cmake/mlir" NO_DEFAULT_PATH)
message(STATUS "MLIR ${MLIR_PACKAGE_VERSION} from ${MLIR_INCLUDE_DIRS}")

set(SATTN_LLVM_BIN "${SATTN_LLVM_ROOT}/bin")
set(_capi_libs IR IRDL RegisterEverything Transforms Conversion Func Arith SCF
    MemRef Vector Math LLVM GPU NVVM ExecutionEngine Target Debug Interfaces)
set(_archives "")
foreach(lib ${_capi_libs})
  set(_path "${SATTN_LLVM_ROOT}/lib/libMLIRCAPI${lib}.a")
  if(NOT EXISTS "${_path}")
    message(FATAL_ERROR "missing ${_path}: run scripts/setup.sh")
  endif()
  list(APPEND _archives "${_path}")
endforeach()
find_library(SATTN_LIBMLIR NAMES MLIR PATHS "${SATTN_LLVM_ROOT}/lib" NO_DEFAULT_PATH REQUIRED)
find_library(SATTN_LIBLLVM NAMES LLVM PATHS "${SATTN_LLVM_ROOT}/lib" NO_DEFAULT_PATH REQUIRED)

add_library(sattn_mlir INTERFACE)
target_include_directories(sattn_mlir SYSTEM INTERFACE ${MLIR_INCLUDE_DIRS} ${LLVM_INCLUDE_DIRS})
# --start-group: the CAPI archives refer to each other in no fixed order.
target_link_libraries(sattn_mlir INTERFACE
  -Wl,--start-group ${_archives} -Wl,--end-group
  ${SATTN_LIBMLIR} ${SATTN_LIBLLVM})
