# End to end through the `dyadic` binary on the bundled model: sensitivity -> JSON ->
# ilp-problem, then the error paths (exit status and message). Run by ctest with
#   -DDYADIC=<binary> -DSOURCE=<repo root> -DWORK=<scratch directory>
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(MODEL ${SOURCE}/models/fmnist_resnet_small.onnx)

function(run_ok)
  execute_process(COMMAND ${DYADIC} ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "dyadic ${ARGN}: exit ${rc}\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

function(run_fails expected_rc expected_message)
  execute_process(COMMAND ${DYADIC} ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL ${expected_rc})
    message(FATAL_ERROR "dyadic ${ARGN}: exit ${rc}, expected ${expected_rc}\n${err}")
  endif()
  string(FIND "${err}" "${expected_message}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "dyadic ${ARGN}: message lacks '${expected_message}':\n${err}")
  endif()
endfunction()

run_ok(sensitivity ${MODEL} --images 8 --samples 2 --bits 4,8 --json ${WORK}/s.json)
string(FIND "${out}" "/blocks/blocks.1/shortcut/shortcut.0/Conv" at)
if(at EQUAL -1)
  message(FATAL_ERROR "sensitivity table lacks the shortcut conv:\n${out}")
endif()
file(READ ${WORK}/s.json sensitivity)
string(JSON layers LENGTH "${sensitivity}" layers)
string(JSON samples GET "${sensitivity}" layers 0 samples)
if(NOT layers EQUAL 7 OR NOT samples EQUAL 2)
  message(FATAL_ERROR "s.json: ${layers} layers, ${samples} samples (expected 7, 2)")
endif()

run_ok(ilp-problem ${MODEL} --sensitivity ${WORK}/s.json --bits 4,8 --out ${WORK}/problem.json)
file(READ ${WORK}/problem.json problem)
string(JSON choices LENGTH "${problem}" layers 0 choices)
string(JSON size GET "${problem}" layers 0 choices 1 size_bits)
string(JSON tied LENGTH "${problem}" ties 0)
if(NOT choices EQUAL 2 OR NOT size EQUAL 1152 OR NOT tied EQUAL 2)  # stem: 144 weights x 8 bits
  message(FATAL_ERROR "problem.json: ${choices} choices, size_bits ${size}, tie of ${tied}")
endif()

run_fails(1 "no value for 6 bits" ilp-problem ${MODEL} --sensitivity ${WORK}/s.json --bits 4,6)
run_fails(1 "'9' is not an integer in 2..8" sensitivity ${MODEL} --bits 4,9)
run_fails(2 "missing --sensitivity" ilp-problem ${MODEL})
run_fails(1 "cannot open" ilp-problem ${MODEL} --sensitivity ${WORK}/absent.json)
file(WRITE ${WORK}/latency.json [=[{"unit": "cycles", "layers": [{"name": "/fc/Gemm", "candidates": [{"bits": "w4a4", "cycles": 1}]}]}]=])
run_fails(1 "latency table has no layer \"/stem/stem.0/Conv\"" ilp-problem ${MODEL} --sensitivity ${WORK}/s.json
          --latency ${WORK}/latency.json --out ${WORK}/partial.json)
if(EXISTS ${WORK}/partial.json)
  message(FATAL_ERROR "a failed ilp-problem left ${WORK}/partial.json behind")
endif()

# Per-operand candidates: the activation sensitivities are in s.json by default; the ILP's choice
# (labels such as "w4a8") is what dyadic quantize --bits reads.
string(JSON act_trace GET "${sensitivity}" layers 0 activation trace)
string(JSON act_elements GET "${sensitivity}" layers 0 activation n_elements)
if(NOT act_elements EQUAL 784)  # the stem reads the 1 x 28 x 28 image
  message(FATAL_ERROR "s.json: stem activation has ${act_elements} elements (expected 784)")
endif()
run_ok(ilp-problem ${MODEL} --sensitivity ${WORK}/s.json --candidates w8a8,w4a8,w8a4,w4a4 --out ${WORK}/operands.json)
file(READ ${WORK}/operands.json problem)
string(JSON choices LENGTH "${problem}" layers 0 choices)
string(JSON label GET "${problem}" layers 0 choices 1 bits)
string(JSON size GET "${problem}" layers 0 choices 1 size_bits)
string(JSON bops_w4a8 GET "${problem}" layers 0 choices 1 bops)
string(JSON bops_w8a8 GET "${problem}" layers 0 choices 0 bops)
math(EXPR twice "${bops_w4a8} * 2")
if(NOT choices EQUAL 4 OR NOT label STREQUAL "w4a8" OR NOT size EQUAL 576 OR NOT twice EQUAL bops_w8a8)
  message(FATAL_ERROR "operands.json: ${choices} choices, label ${label}, size_bits ${size}, bops ${bops_w4a8} vs ${bops_w8a8}")
endif()
run_ok(ilp ${WORK}/operands.json --frac bops=0.4 --out ${WORK}/operands_choice.json)
run_ok(quantize ${MODEL} --bits ${WORK}/operands_choice.json --calibration-images 16 --output ${WORK}/operands.dyqm)
run_fails(1 "bit candidate 'w9a8'" ilp-problem ${MODEL} --sensitivity ${WORK}/s.json --candidates w9a8)
run_ok(sensitivity ${MODEL} --images 4 --samples 2 --bits 4,8 --weights-only --json ${WORK}/weights_only.json)
run_fails(1 "no activation sensitivities" ilp-problem ${MODEL} --sensitivity ${WORK}/weights_only.json --candidates w4a8)

# --random-images: seeded standard-normal images of the model's input shape, no dataset read (the
# data directory does not exist); the same seed gives the same traces, another seed other ones.
foreach(run a:3 b:3 c:4)
  string(REPLACE ":" ";" run "${run}")
  list(GET run 0 name)
  list(GET run 1 seed)
  run_ok(sensitivity ${MODEL} --random-images --images 2 --samples 2 --bits 4,8 --seed ${seed}
         --data ${WORK}/no-such-directory --json ${WORK}/random_${name}.json)
  file(READ ${WORK}/random_${name}.json random)
  string(JSON trace_${name} GET "${random}" layers 0 trace)
  string(JSON act_trace_${name} GET "${random}" layers 0 activation trace)
endforeach()
string(JSON layers LENGTH "${random}" layers)
string(JSON act_elements GET "${random}" layers 0 activation n_elements)
if(NOT layers EQUAL 7 OR NOT act_elements EQUAL 784 OR NOT trace_a STREQUAL trace_b OR
   NOT act_trace_a STREQUAL act_trace_b OR trace_a STREQUAL trace_c OR act_trace_a STREQUAL act_trace_c)
  message(FATAL_ERROR "--random-images: ${layers} layers, ${act_elements} input elements; stem traces "
                      "${trace_a}/${act_trace_a} and ${trace_b}/${act_trace_b} (seed 3), ${trace_c}/${act_trace_c} (seed 4)")
endif()
