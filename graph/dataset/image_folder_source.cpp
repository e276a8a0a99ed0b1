// A folder of JPEG/PNG images in the class-per-subfolder layout as a data source.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include "graph/dataset/data_source.h"
#include "graph/dataset/image_decode.h"
#include "util/error.h"
#include "util/read_file.h"

namespace dyadic::dataset {
namespace {

namespace fs = std::filesystem;

bool is_image_name(const fs::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".jpg" || ext == ".jpeg" || ext == ".png";
}

class ImageFolderSource final : public DataSource {
public:
    ImageFolderSource(const std::string& root, Preprocessing preprocessing)
        : root_(root), preprocessing_(std::move(preprocessing)) {
        validate(preprocessing_);
        require(preprocessing_.crop_height > 0,
                root + ": images of any size need a crop size (the model's input height and width)");
        std::error_code error;
        require(fs::is_directory(root, error), root + ": not a directory (expected <root>/<class>/<image>)");
        try {
            scan(root);
        } catch (const fs::filesystem_error& e) {
            throw Error(root + ": cannot list the image folder (" + e.what() + ")");
        }
    }

    void scan(const std::string& root) {
        for (const fs::directory_entry& entry : fs::directory_iterator(root)) {
            if (entry.is_directory()) classes_.push_back(entry.path().filename().string());
        }
        require(!classes_.empty(), root + ": no class subfolders (expected <root>/<class>/<image>)");
        std::sort(classes_.begin(), classes_.end());
        for (size_t label = 0; label < classes_.size(); ++label) {
            const fs::path folder = fs::path(root) / classes_[label];
            std::vector<std::string> names;
            for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
                if (!entry.is_directory() && is_image_name(entry.path())) names.push_back(entry.path().filename().string());
            }
            require(!names.empty(), folder.string() + ": no .jpg, .jpeg or .png image in class folder '" +
                                        classes_[label] + "'");
            std::sort(names.begin(), names.end());
            for (const std::string& name : names) files_.push_back({(folder / name).string(), static_cast<int>(label)});
        }
    }

    int64_t size() const override { return static_cast<int64_t>(files_.size()); }
    std::array<int64_t, 3> input_shape() const override {
        return {preprocessing_.channels, preprocessing_.crop_height, preprocessing_.crop_width};
    }
    bool labelled() const override { return true; }
    bool preprocessed() const override { return true; }
    std::vector<std::string> classes() const override { return classes_; }
    std::string description() const override {
        return root_ + " (" + std::to_string(files_.size()) + " images, " + std::to_string(classes_.size()) + " classes)";
    }
    std::map<std::string, std::string> provenance() const override {
        return {{"kind", "image-folder"}, {"root", root_}, {"count", std::to_string(files_.size())},
                {"classes", std::to_string(classes_.size())}};
    }

    LabelledBatch batch(int64_t first, int64_t count) const override {
        require(count > 0 && first >= 0 && first <= size() && count <= size() - first,
                root_ + ": images [" + std::to_string(first) + ", " + std::to_string(first + count) + ") leave the " +
                    std::to_string(size()) + " images");
        const std::array<int64_t, 3> shape = input_shape();
        const int64_t per_image = shape[0] * shape[1] * shape[2];
        LabelledBatch out;
        out.inputs.shape = {count, shape[0], shape[1], shape[2]};
        out.inputs.values.resize(static_cast<size_t>(count * per_image));
        for (int64_t i = 0; i < count; ++i) {
            const File& file = files_[static_cast<size_t>(first + i)];
            const DecodedImage image =
                with_channels(decode_image(read_file(file.path, "image"), file.path), preprocessing_.channels);
            preprocess_image(image.pixels.data(), image.height, image.width, preprocessing_,
                             out.inputs.values.data() + i * per_image, file.path);
            out.labels.push_back(file.label);
        }
        return out;
    }

private:
    struct File {
        std::string path;
        int label;
    };
    std::string root_;
    Preprocessing preprocessing_;
    std::vector<std::string> classes_;
    std::vector<File> files_;
};

}  // namespace

std::unique_ptr<DataSource> image_folder_source(const std::string& root, const Preprocessing& preprocessing) {
    return std::make_unique<ImageFolderSource>(root, preprocessing);
}

}  // namespace dyadic::dataset
