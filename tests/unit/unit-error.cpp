// One error vocabulary: every kind of error the library throws is caught
// as trainspec::error, and carries its problems (path, value, rule) behind
// its what().

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <typeinfo>

#include <trainspec/trainspec.hpp>

#include "test_support.hpp"

using namespace trainspec;

namespace {

struct caught {
    std::string what;
    problems all;
    std::string kind;
};

/// What `f` throws, caught by the base alone.
caught catch_base(const std::function<void()>& f) {
    try {
        f();
    } catch (const error& e) {
        REQUIRE_FALSE(e.all().empty());
        CHECK(e.path() == e.all().front().path);
        CHECK(e.rule() == e.all().front().rule);
        return {e.what(), e.all(), typeid(e).name()};
    }
    FAIL("nothing was thrown");
    return {};
}

any_job job_from(const std::string& extra) {
    return load_job(R"({"name": "errors", "source_directory": "src", "entry_script": "train.py", )"
                    R"("compute_target": "c")" +
                    extra + "}");
}

}  // namespace

TEST_CASE("every kind of error is a trainspec::error with its problems") {
    SUBCASE("validation_error: every problem of the job") {
        const auto c = catch_base([] { (void)job_from(R"(, "node_count": 0, "use_gpu": "yes")"); });
        CHECK(c.kind == typeid(validation_error).name());
        REQUIRE(c.all.size() == 2);
        CHECK(c.what == "invalid job: 2 problems\n  " + to_string(c.all[0]) + "\n  " + to_string(c.all[1]));
    }
    SUBCASE("host_list_error: the item and why") {
        const auto c = catch_base([] { (void)parse_host_list("a:2,a:1"); });
        CHECK(c.kind == typeid(host_list_error).name());
        CHECK(c.all == problems{{"hosts", "\"a:1\"", c.all[0].rule}});
        CHECK(c.what == "invalid host \"a:1\": " + c.all[0].rule);
    }
    SUBCASE("tf_config_error: TensorFlow's field and message") {
        const auto c = catch_base([] { (void)parse_tf_config(R"({"cluster": {"worker": ["a:1"]}, "task": 3})"); });
        CHECK(c.kind == typeid(tf_config_error).name());
        CHECK(c.what == c.all[0].path + ": " + c.all[0].rule);
    }
    SUBCASE("mpi_launch_error: the launch setting and why") {
        const auto c = catch_base([] {
            mpi_launch_options o;
            o.allow_run_as_root = run_as_root::environment;
            o.allow_launcher_environment = false;
            (void)mpirun_command(test_support::plan_of<mpi>(test_support::mpi_spec("hvd", 2, 1), "a:1,b:1"), o);
        });
        CHECK(c.kind == typeid(mpi_launch_error).name());
        CHECK(c.all[0].path == "allow_run_as_root");
        CHECK(c.what == "allow_run_as_root: " + c.all[0].rule);
    }
    SUBCASE("artifact_error: the artifact the job cannot have") {
        const auto c = catch_base([] { (void)dockerfile(job_from(R"(, "use_docker": false)")); });
        CHECK(c.kind == typeid(artifact_error).name());
        CHECK(c.all == problems{{"Dockerfile", "\"errors\"",
                                 "has use_docker = false; set use_docker to true (the default) for a container"}});
        CHECK(c.what == "Dockerfile: job \"errors\" " + c.all[0].rule);
        const auto azure = catch_base([] { (void)azureml_command_job(job_from(R"(, "use_docker": false)")); });
        CHECK(azure.kind == typeid(artifact_error).name());
        CHECK(azure.all[0].path == "Azure ML command job");
    }
    SUBCASE("a task the plan does not have, a version without an image") {
        const auto c =
            catch_base([] { (void)plan(make_job_as<single_node>(test_support::base_spec())).find(task_type::ps, 0); });
        CHECK(c.what == "task = ps:0: no such task in this plan");
        const auto v = catch_base([] { (void)framework_image_for("0.9"); });
        CHECK(v.all[0].path == "framework_version");
        CHECK(v.what.rfind("framework_version = \"0.9\": no image; supported versions: ", 0) == 0);
    }
}
