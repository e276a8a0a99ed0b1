// The subcommand table. Each command lives in cli/commands/<name>.cpp and defines its run
// function in namespace dyadic::cli::commands; add it here and to cli/CMakeLists.txt.
#include "cli/commands.h"

namespace dyadic::cli::commands {
int version(const Args& args);
int quantize(const Args& args);
int run(const Args& args);
int eval(const Args& args);
int inspect(const Args& args);
int sim(const Args& args);
int latency_table(const Args& args);
int sensitivity(const Args& args);
int ilp_problem(const Args& args);
int import_model(const Args& args);
int ilp(const Args& args);
int compare(const Args& args);
int verify(const Args& args);
int fuzz_diff(const Args& args);
int golden(const Args& args);
int explore(const Args& args);
int explore_point(const Args& args);
}  // namespace dyadic::cli::commands

namespace dyadic::cli {

const std::vector<Command>& command_table() {
    static const std::vector<Command> table = {
        {"compare", "quantize a model at several bit widths and compare FP32, fake-quant and integer top-1",
         commands::compare},
        {"version", "print the version of dyadic and of its file formats", commands::version},
        {"quantize", "post-training quantization of an ONNX model into an integer model file", commands::quantize},
        {"run", "run an integer model on Fashion-MNIST images (reference executor)", commands::run},
        {"eval", "integer-only top-1 accuracy on the Fashion-MNIST test split", commands::eval},
        {"inspect", "show an integer model file: bits, MACs, weight size and BOPS per layer", commands::inspect},
        {"golden", "write every layer's integer tensors as .npy and $readmemh files with a manifest (golden vectors)",
         commands::golden},
        {"sim", "run an integer model on the SystemC accelerator model: cycles per layer, --verify", commands::sim},
        {"latency-table", "per-layer latency at candidate bit widths for the ILP (--backend sim)", commands::latency_table},
        {"sensitivity", "HAWQ-V3 per-layer Hessian-trace sensitivity Omega(b) of a float ONNX model", commands::sensitivity},
        {"ilp-problem", "bit-allocation problem file from a model, its sensitivities and a latency table", commands::ilp_problem},
        {"import", "float ONNX model (or ResNet/InceptionV3 builder) into the IR: passes, shapes, MACs", commands::import_model},
        {"verify", "compare backends (cpu, sim, rtl, gpu) with the reference layer by layer (==)", commands::verify},
        {"fuzz-diff", "randomized differential testing of backends against the reference (seeded layers, graphs)",
         commands::fuzz_diff},
        {"ilp", "choose per-layer bits by ILP under size/BOPs/latency budgets; --frac, --pareto sweeps", commands::ilp},
        {"explore", "sweep accelerator configurations and bit allocations together (ILP per configuration)",
         commands::explore},
        {"explore-point", "run one point of a sweep written by dyadic explore (a line of its jobs.txt)",
         commands::explore_point},
    };
    return table;
}

}  // namespace dyadic::cli
