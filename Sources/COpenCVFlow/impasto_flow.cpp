#include "impasto_flow.h"

#include <opencv2/core.hpp>
#include <opencv2/video/tracking.hpp>

#include <string>

struct impasto_flow {
    cv::Ptr<cv::DISOpticalFlow> dis;
    cv::Mat from_luma;
    cv::Mat to_luma;
};

static thread_local std::string last_error;

/// BT.601 luma of planar RGB in [0, 1], as 8-bit: DIS only accepts one 8-bit channel.
static void luma(const float *planes, int width, int height, cv::Mat &out) {
    const size_t plane = static_cast<size_t>(width) * height;
    cv::Mat red(height, width, CV_32F, const_cast<float *>(planes));
    cv::Mat green(height, width, CV_32F, const_cast<float *>(planes + plane));
    cv::Mat blue(height, width, CV_32F, const_cast<float *>(planes + 2 * plane));
    cv::Mat grey = 0.299f * red + 0.587f * green + 0.114f * blue;
    grey.convertTo(out, CV_8U, 255.0);
}

extern "C" impasto_flow *impasto_flow_create(impasto_flow_preset preset) {
    try {
        auto *estimator = new impasto_flow();
        estimator->dis = cv::DISOpticalFlow::create(static_cast<int>(preset));
        return estimator;
    } catch (const std::exception &error) {
        last_error = error.what();
        return nullptr;
    }
}

extern "C" void impasto_flow_destroy(impasto_flow *estimator) { delete estimator; }

extern "C" int impasto_flow_compute(impasto_flow *estimator, const float *from, const float *to,
                                    int width, int height, float *flow) {
    try {
        luma(from, width, height, estimator->from_luma);
        luma(to, width, height, estimator->to_luma);
        cv::Mat field(height, width, CV_32FC2, flow);
        estimator->dis->calc(estimator->from_luma, estimator->to_luma, field);
        if (field.data != reinterpret_cast<uchar *>(flow)) {
            last_error = "DIS reallocated the flow buffer";
            return -1;
        }
        return 0;
    } catch (const std::exception &error) {
        last_error = error.what();
        // cv::Exception's what() spans lines; keep the first.
        last_error = last_error.substr(0, last_error.find('\n'));
        return -1;
    }
}

extern "C" const char *impasto_flow_last_error(void) { return last_error.c_str(); }
