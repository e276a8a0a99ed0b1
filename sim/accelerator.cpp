#include "sim/accelerator.h"

#include "util/error.h"
#include "sim/energy_model.h"

namespace dyadic::sim {

Accelerator::Accelerator(sc_core::sc_module_name name)
    : sc_core::sc_module(name),
      dram("dram"),
      dma("dma"),
      input_scratchpad("input_scratchpad"),
      weight_scratchpad("weight_scratchpad"),
      accumulators("accumulators"),
      array("array"),
      ppu_input("ppu_input"),
      ppu_params("ppu_params"),
      ppu_output("ppu_output"),
      ppu("ppu"),
      controller("controller") {
    dma.dram_socket.bind(dram.socket);
    dma.input_scratchpad_socket.bind(input_scratchpad.socket);
    dma.weight_scratchpad_socket.bind(weight_scratchpad.socket);
    dma.ppu_input_socket.bind(ppu_input.socket);
    dma.ppu_params_socket.bind(ppu_params.socket);
    dma.ppu_output_socket.bind(ppu_output.socket);
    dma.attach(DmaTarget::input_scratchpad, &input_scratchpad);
    dma.attach(DmaTarget::weight_scratchpad, &weight_scratchpad);
    dma.attach(DmaTarget::ppu_input, &ppu_input);
    dma.attach(DmaTarget::ppu_params, &ppu_params);
    dma.attach(DmaTarget::ppu_output, &ppu_output);
    array.attach(&input_scratchpad, &weight_scratchpad, &accumulators);
    ppu.attach(&accumulators, &ppu_input, &ppu_params, &ppu_output, &dma);
    controller.attach(&dma, &array, &ppu);
}

void Accelerator::run(const AccelConfig& config, const LayerJob& job, std::vector<uint8_t> dram_image,
                      LayerStats& stats, ComputeCore* core) {
    const bool functional = job.functional;
    dram.configure(config.dram_bandwidth_bytes_per_cycle, config.dram_latency_cycles, functional);
    dram.memory() = std::move(dram_image);
    dram.reset_counters();
    input_scratchpad.configure(config.input_bank_bytes(), functional);
    weight_scratchpad.configure(config.weight_bank_bytes(), functional);
    accumulators.configure(config.accumulator_bank_entries(), functional);
    ppu_input.configure(config.ppu_input_bank_bytes(), functional);
    ppu_params.configure(config.ppu_param_channels * kParamBytesPerChannel, functional);
    ppu_output.configure(config.ppu_output_bank_bytes(), functional);
    array.configure(config);
    ppu.configure(config);

    // A compute core of another machine would charge that machine's cycles.
    if (core != nullptr) {
        const std::string refusal = core->config_refusal(config);
        require(refusal.empty(), "sim: the " + core->name() + " compute core: " + refusal);
    }
    RunContext context;
    context.job = &job;
    context.stats = &stats;
    context.core = core;
    dma.set_context(&context);
    if (job.is_conv) array.start_layer(&context);
    ppu.start_layer(&context);
    controller.start(&context);
    sc_core::sc_start();  // runs until every block waits for a command: the layer is done

    require(controller.finished(), "sim: the simulation stalled before the layer finished (model bug)");
    require(context.first_error.empty(), context.first_error);
    stats.total_cycles = controller.end_cycle() - controller.start_cycle();
    if (job.is_conv) {
        // Everything after the array's last step is the post-processing and write-back tail.
        stats.post_processing_cycles += controller.end_cycle() - array.last_busy_cycle();
    } else {
        stats.post_processing_cycles = ppu.busy_cycles();
        stats.memory_stall_cycles = stats.total_cycles - stats.post_processing_cycles;
    }
    stats.dram_read_bytes = dram.read_bytes();
    stats.dram_write_bytes = dram.write_bytes();
    stats.traffic(OnChipMemory::input_scratchpad) = input_scratchpad.traffic();
    stats.traffic(OnChipMemory::weight_scratchpad) = weight_scratchpad.traffic();
    stats.traffic(OnChipMemory::accumulators) = accumulators.traffic();
    stats.traffic(OnChipMemory::ppu_input) = ppu_input.traffic();
    stats.traffic(OnChipMemory::ppu_params) = ppu_params.traffic();
    stats.traffic(OnChipMemory::ppu_output) = ppu_output.traffic();
    stats.energy = layer_energy(stats, config);
}

}  // namespace dyadic::sim
