#pragma once
// How raw 8-bit pixels become a model's float32 input: channel conversion, resize of the shorter
// side (bilinear), center crop to the model's input size, and per-channel normalization
//   x = float32((value / 255 - mean[c]) / std[c]).
// The exact definition of every step is in docs/data.md; `dyadic quantize` records it in the
// model file (docs/model-format.md, "input_preprocessing") so that evaluation repeats it.
#include <cstdint>
#include <string>
#include <vector>

namespace dyadic::dataset {

struct Preprocessing {
    int channels = 1;                 // 1 (grayscale) or 3 (RGB): what every image is converted to
    int64_t resize = 0;               // the shorter side after resizing; 0 = no resize
    int64_t crop_height = 0;          // the center crop (the model's input size); 0 = no crop
    int64_t crop_width = 0;
    std::vector<double> mean{0.0};    // one value, or one per channel
    std::vector<double> std{1.0};

    double mean_of(int channel) const { return mean.size() == 1 ? mean[0] : mean[static_cast<size_t>(channel)]; }
    double std_of(int channel) const { return std.size() == 1 ? std[0] : std[static_cast<size_t>(channel)]; }
};

// Throws dyadic::Error naming the problem: channels not 1 or 3, a negative size, a crop with one
// side 0, mean/std counts other than 1 or `channels`, a non-finite mean or a std that is not
// positive and finite.
void validate(const Preprocessing& preprocessing);

// The image size after resizing an `height` x `width` image (before the crop): with resize S > 0
// the shorter side becomes S and the longer one floor(long * S / short), else unchanged.
struct ImageSize {
    int64_t height = 0;
    int64_t width = 0;
};
ImageSize resized_size(int64_t height, int64_t width, int64_t resize);

// One image of `height` x `width` x `channels` bytes (row-major, channels interleaved: HWC, with
// channels == preprocessing.channels) -> preprocessing.channels x crop_height x crop_width floats
// (CHW) at `out`. Without a crop the output has the resized size. `source` names the image in
// errors (a crop larger than the resized image).
void preprocess_image(const uint8_t* pixels, int64_t height, int64_t width, const Preprocessing& preprocessing,
                      float* out, const std::string& source);

// The output size of preprocess_image for an image of that size.
ImageSize output_size(int64_t height, int64_t width, const Preprocessing& preprocessing);

// The metadata text (JSON, versioned: {"version": 1, "channels": .., "resize": .., "crop": [h, w],
// "mean": [..], "std": [..]}) and back; parse throws Error naming `source` for anything else.
std::string preprocessing_json(const Preprocessing& preprocessing);
Preprocessing parse_preprocessing_json(const std::string& text, const std::string& source);

// "grayscale, resize 256, crop 224x224, mean [0.485, 0.456, 0.406], std [...]" for messages.
std::string describe(const Preprocessing& preprocessing);

// "0.485,0.456,0.406" -> {0.485, 0.456, 0.406} (strict: every item a whole number text); Error
// naming `what` otherwise.
std::vector<double> parse_number_list(const std::string& text, const std::string& what);

}  // namespace dyadic::dataset
