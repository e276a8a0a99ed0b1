// dyadic explore: hardware and bits together. For every accelerator configuration of a sweep, the
// latency table of the model's layers, the ILP problem with the model's sensitivities, and the
// ILP at each budget set (cli/explore/). Points run as independent processes on the local cores;
// the same sweep is written as a job list a SLURM array runs unchanged (docs/explore.md).
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "cli/args.h"
#include "cli/backend_registry.h"
#include "cli/calibration_report.h"
#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/dataset_eval.h"
#include "cli/explore/config_axes.h"
#include "cli/explore/pareto_accuracy.h"
#include "cli/explore/process_pool.h"
#include "cli/explore/sweep_jobs.h"
#include "cli/explore/sweep_plan.h"
#include "cli/explore/sweep_point.h"
#include "cli/explore/sweep_report.h"
#include "cli/progress.h"
#include "cli/quantize_pipeline.h"
#include "graph/quant/bit_candidates.h"
#include "graph/quant/bit_config.h"
#include "graph/quant/model_file.h"
#include "sim/accel_config.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace dyadic::cli::commands {
namespace {

namespace fs = std::filesystem;

std::string absolute(const std::string& path) { return fs::absolute(path).lexically_normal().string(); }

// What --accuracy evaluates on: the float graph, the evaluation data the options name (the
// Fashion-MNIST test split by default) and the calibration on held-out data (docs/data.md). Opened
// before the sweep runs, so that bad data or counts fail before any work.
struct AccuracyInputs {
    ir::Graph graph;
    QuantizeRequest request;
    CalibrationAndEvaluationData data;
    Calibration calibration;
    int64_t images = 0;
};

std::unique_ptr<AccuracyInputs> open_accuracy_inputs(const std::string& model, int64_t images, const ArgParser& parser) {
    auto inputs = std::make_unique<AccuracyInputs>();
    inputs->images = images;
    inputs->request.model_path = model;
    inputs->graph = import_for_quantization(model);
    const auto sidecar = read_sidecar(inputs->request);
    const Shape& input_shape = graph_input_shape(inputs->graph);
    PreprocessingChoice choice = float_model_preprocessing(input_shape, sidecar, parser);
    inputs->data = open_calibration_and_evaluation_data(parser, choice, image_shape(input_shape, model), "the sidecar");
    const int64_t available = inputs->data.evaluation->size();
    if (images > available)
        throw UsageError("--accuracy must lie in 0.." + std::to_string(available) + ", got " + std::to_string(images));
    require_labelled(*inputs->data.evaluation, images);
    inputs->data.warn_if_overlapping(images);
    inputs->request.calibration_images = inputs->data.calibration_images;
    inputs->calibration = calibration_from(inputs->data.calibration_source(), inputs->request, choice.preprocessing, sidecar);
    return inputs;
}

// Every output from the points' results (with the Pareto points' accuracy, when `accuracy` is
// given); prints the Pareto rows.
void gather(const std::string& directory, const AccuracyInputs* accuracy, const ArgParser& parser) {
    const explore::SweepPlan plan = explore::read_plan(directory + "/plan.json");
    std::vector<explore::SweepRow> rows = explore::gather_rows(plan, directory);
    nlohmann::json accuracy_report;  // null without --accuracy
    if (accuracy) {
        const std::unique_ptr<quant::LayerBackend> backend = backend_from_args(parser);
        std::cerr << "integer-only accuracy on " << backend_label(*backend) << '\n';
        explore::evaluate_pareto_accuracy(rows, accuracy->graph, accuracy->request, accuracy->calibration,
                                          *accuracy->data.evaluation, accuracy->images, *backend);
        accuracy_report = {{"images", accuracy->images}, {"data", accuracy->data.evaluation->provenance()}};
        accuracy_report.update(calibration_report(accuracy->data, accuracy->images));
    }
    write_file_atomically(directory + "/points.json", explore::rows_to_json(rows, accuracy_report));
    write_file_atomically(directory + "/points.csv", explore::rows_to_csv(rows));
    write_file_atomically(directory + "/front_sensitivity_latency.svg", explore::sensitivity_latency_svg(rows));
    write_file_atomically(directory + "/front_latency_area.svg", explore::area_latency_svg(rows));
    if (accuracy)
        write_file_atomically(directory + "/front_accuracy_latency.svg", explore::accuracy_latency_svg(rows));
    const bool energy = explore::rows_have_energy(rows);
    if (energy) {
        write_file_atomically(directory + "/front_sensitivity_energy.svg", explore::sensitivity_energy_svg(rows));
        if (accuracy)
            write_file_atomically(directory + "/front_accuracy_energy.svg", explore::accuracy_energy_svg(rows));
    }
    const auto print_front = [&](const char* cost, bool explore::SweepRow::*front) {
        std::cout << "Pareto points (" << cost << ", total sensitivity) of " << rows.size() << ":\n";
        for (const explore::SweepRow& row : rows)
            if (row.*front)
                std::cout << "  " << row.name << "  [" << row.budget << "]  latency " << row.totals.value("latency", 0.0)
                          << (energy ? "  energy " + std::to_string(row.totals.value("energy", 0.0) / 1e6) + " uJ" : "")
                          << "  sensitivity " << row.sensitivity
                          << (row.integer_top1 ? "  integer top-1 " + std::to_string(100.0 * *row.integer_top1) + "%" : "")
                          << '\n';
    };
    print_front("latency", &explore::SweepRow::pareto);
    if (energy) print_front("energy", &explore::SweepRow::pareto_energy);
    std::cout << "Latency-area fronts (per budget set):\n";
    for (const explore::SweepRow& row : rows)
        if (row.area_pareto)
            std::cout << "  [" << row.budget << "]  " << row.name << "  latency " << row.totals.value("latency", 0.0)
                      << "  area " << row.area_um2 / 1e6 << " mm^2\n";
    std::cout << "wrote " << directory << "/points.{json,csv}, front_sensitivity_latency.svg, front_latency_area.svg"
              << (energy ? ", front_sensitivity_energy.svg" : "") << '\n';
}

}  // namespace

int explore_point(const Args& args) {
    ArgParser parser("dyadic explore-point",
                     "Run one point of a sweep written by dyadic explore (one line of its jobs.txt): latency table,\n"
                     "ILP problem and ILP per budget set for the point's configuration; writes points/<index>.json.");
    parser.positional("plan", "the sweep's plan.json").positional("index", "the point's index (0-based)");
    parser.parse(args);
    const std::string plan_path = parser.get("plan");
    const int index = parser.get_int("index", 0, std::numeric_limits<int>::max());
    const std::string directory = fs::path(plan_path).parent_path().string();
    const explore::SweepPlan plan = explore::read_plan(plan_path);
    const nlohmann::json result = explore::run_sweep_point(plan, static_cast<std::size_t>(index), directory);
    write_file_atomically(explore::point_result_path(directory, static_cast<std::size_t>(index)), result.dump(1) + "\n");
    std::cout << "point " << index << " (" << result["name"].get<std::string>() << ") done\n";
    return 0;
}

int explore(const Args& args) {
    ArgParser parser("dyadic explore",
                     "Sweep accelerator configurations and bit allocations together: for every configuration, the\n"
                     "latency table, the ILP problem over per-operand candidates and the ILP at each budget set.\n"
                     "Writes <out>/plan.json, jobs.txt (one command per point), slurm.sbatch (a SLURM array of\n"
                     "them), points/, and from the results points.json, points.csv, front_sensitivity_latency.svg,\n"
                     "front_sensitivity_energy.svg and front_latency_area.svg (each configuration's area estimate,\n"
                     "docs/accelerator.md). --accuracy evaluates the fronts on the Fashion-MNIST test split or on\n"
                     "--npy/--folder, calibrated on --calibration-npy/--calibration-folder (docs/data.md).");
    parser.positional("model", "float ONNX model (with its sidecar JSON)", false)
        .option("--sensitivity", "path", "sensitivity file of the model (dyadic sensitivity --json)")
        .option("--configs", "axes", "hardware axes: \"array=8x8,16x16;input_kb=64,256;bandwidth=8,16\" (repeatable: adds axes)")
        .option("--budgets", "set", "one budget set: fractions of each configuration's range (latency=0.5) and/or "
                                    "absolute limits (latency<=30000, energy<=2e6, in pJ), comma-separated; repeatable")
        .option("--candidates", "list", "per-operand bit candidates", std::string("w8a8,w4a8,w8a4,w4a4"))
        .option("--base-config", "json", "configuration the axes modify (default: the built-in default)")
        .option("--int-model", "path", "integer model whose layers are timed (default: quantize the model at w8a8)")
        .option("--out", "dir", "output directory")
        .option("--jobs", "n", "points run at once, 1..1024 (default: the number of cores)")
        .flag("--plan-only", "write the plan and job list, run nothing (for a cluster)")
        .option("--gather", "dir", "only gather the results of a sweep already run (e.g. by a SLURM array)")
        .option("--accuracy", "n", "integer-only top-1 of the Pareto points on the first n evaluation images (0: none)",
                std::string("0"));
    add_data_options(parser);              // the evaluation data of --accuracy (and --data: the w8a8 model's)
    add_calibration_data_options(parser);  // its calibration data
    add_backend_options(parser, "cpu");    // the integer backend of --accuracy
    parser.parse(args);
    const int64_t accuracy_images = parser.get_int("--accuracy");
    if (accuracy_images < 0) throw UsageError("--accuracy must be >= 0");
    if (const auto directory = parser.get_optional("--gather")) {
        const std::string gathered = absolute(*directory);
        const auto accuracy = accuracy_images > 0
                                  ? open_accuracy_inputs(explore::read_plan(gathered + "/plan.json").model, accuracy_images, parser)
                                  : nullptr;
        gather(gathered, accuracy.get(), parser);
        return 0;
    }
    for (const char* required : {"model", "--sensitivity", "--configs", "--budgets", "--out"})
        if (!parser.has(required)) throw UsageError(std::string("missing ") + required);

    explore::SweepPlan plan;
    plan.model = absolute(parser.get("model"));
    plan.sensitivity = absolute(parser.get("--sensitivity"));
    plan.candidates = parser.get("--candidates");
    quant::parse_bit_candidates(plan.candidates);  // fail before any work
    for (const std::string& text : parser.get_all("--budgets")) plan.budgets.push_back(explore::parse_budget_set(text));
    const nlohmann::json base = nlohmann::json::parse(
        sim::to_json_text(parser.has("--base-config") ? sim::load_accel_config(parser.get("--base-config"))
                                                      : sim::default_accel_config()));
    std::string axes;
    for (const std::string& text : parser.get_all("--configs")) axes += (axes.empty() ? std::string() : std::string(";")) + text;
    for (const explore::AxisValues& values : explore::axis_product(explore::parse_config_axes(axes))) {
        explore::SweepPoint point{values, explore::apply_axis_values(base, values)};
        sim::parse_accel_config(point.config.dump(), "configuration " + point.config["name"].get<std::string>());
        plan.points.push_back(std::move(point));
    }
    const auto accuracy = accuracy_images > 0 && !parser.has("--plan-only")
                              ? open_accuracy_inputs(plan.model, accuracy_images, parser)
                              : nullptr;
    int jobs = parser.has("--jobs") ? parser.get_int("--jobs", 1, 1024)
                                    : static_cast<int>(std::thread::hardware_concurrency());
    if (jobs < 1) jobs = 1;

    const std::string directory = absolute(parser.get("--out"));
    fs::create_directories(directory + "/points");
    if (const auto path = parser.get_optional("--int-model")) {
        plan.int_model = absolute(*path);
    } else {
        // Only its layers' shapes and bits are timed. With --accuracy it shares that calibration (the
        // user's model need not take Fashion-MNIST images); without, Fashion-MNIST's training split.
        QuantizeRequest request;
        request.model_path = plan.model;
        request.options.bits = quant::uniform_bit_config("w8a8");
        plan.int_model = directory + "/model.w8a8.dyqm";
        quant::save_model(accuracy ? quantize_graph(accuracy->graph, request, accuracy->calibration)
                                   : quantize_graph(import_for_quantization(plan.model), request,
                                                    fashion_mnist_calibration(request, parser.get_optional("--data"))),
                          plan.int_model);
    }
    const std::string plan_path = directory + "/plan.json";
    const std::string binary = fs::read_symlink("/proc/self/exe").string();
    write_file_atomically(plan_path, explore::plan_to_json(plan));
    write_file_atomically(directory + "/jobs.txt", explore::job_list(plan, binary, plan_path));
    write_file_atomically(directory + "/slurm.sbatch",
                          explore::slurm_array_script(plan.points.size(), directory + "/jobs.txt", directory));
    std::cerr << "wrote " << plan_path << ", jobs.txt and slurm.sbatch (" << plan.points.size() << " points x "
              << plan.budgets.size() << " budget sets)\n";
    if (parser.has("--plan-only")) return 0;

    std::vector<explore::Job> job_list;
    for (std::size_t i = 0; i < plan.points.size(); ++i)
        job_list.push_back({explore::point_command(binary, plan_path, i), directory + "/points/" + std::to_string(i) + ".log"});
    std::vector<int> statuses;
    {
        ProgressBar progress("explore", static_cast<int64_t>(job_list.size()));
        statuses = explore::run_jobs(job_list, jobs, [&](std::size_t done, std::size_t) {
            progress.update(static_cast<int64_t>(done));
        });
    }
    std::string failed;
    for (std::size_t i = 0; i < statuses.size(); ++i)
        if (statuses[i] != 0) failed += "\n  point " + std::to_string(i) + ": exit " + std::to_string(statuses[i]) + ", see " + job_list[i].log_path;
    require(failed.empty(), "explore: some points failed:" + failed);
    gather(directory, accuracy.get(), parser);
    return 0;
}

}  // namespace dyadic::cli::commands
