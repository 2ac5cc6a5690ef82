using System.Text;
using Agents.Benchmarks.Rounds;

namespace Agents.Benchmarks.Replay;

/// <summary>
/// Chat-completions bodies as the OpenAI API sends them (pretty-printed, with usage and the fields a
/// real reply carries), so every client parses the same realistic payload.
/// </summary>
internal static class CannedChatCompletions
{
    /// <summary>The first reply: the model asks for <c>add(17, 25)</c> under the name the client declared.</summary>
    public static byte[] ToolCallResponse(string toolName) => Encoding.UTF8.GetBytes($$"""
        {
          "id": "chatcmpl-Bv3kq9ZrT0x1YdLmN4aPq7sWcE2uH",
          "object": "chat.completion",
          "created": 1732550000,
          "model": "gpt-4o-mini-2024-07-18",
          "choices": [
            {
              "index": 0,
              "message": {
                "role": "assistant",
                "content": null,
                "tool_calls": [
                  {
                    "id": "{{ToolRoundScript.CallId}}",
                    "type": "function",
                    "function": {
                      "name": "{{toolName}}",
                      "arguments": "{\"a\":{{ToolRoundScript.A}},\"b\":{{ToolRoundScript.B}}}"
                    }
                  }
                ],
                "refusal": null,
                "annotations": []
              },
              "logprobs": null,
              "finish_reason": "tool_calls"
            }
          ],
          "usage": {
            "prompt_tokens": 118,
            "completion_tokens": 18,
            "total_tokens": 136,
            "prompt_tokens_details": {
              "cached_tokens": 0,
              "audio_tokens": 0
            },
            "completion_tokens_details": {
              "reasoning_tokens": 0,
              "audio_tokens": 0,
              "accepted_prediction_tokens": 0,
              "rejected_prediction_tokens": 0
            }
          },
          "service_tier": "default",
          "system_fingerprint": "fp_560af6e559"
        }
        """);

    /// <summary>The second reply, once the tool's result is in the conversation: the final answer.</summary>
    public static byte[] AnswerResponse() => Encoding.UTF8.GetBytes($$"""
        {
          "id": "chatcmpl-Bv3kr2PfX8hGzQw1VtYbK6nJdS5aM",
          "object": "chat.completion",
          "created": 1732550001,
          "model": "gpt-4o-mini-2024-07-18",
          "choices": [
            {
              "index": 0,
              "message": {
                "role": "assistant",
                "content": "{{ToolRoundScript.Answer}}",
                "refusal": null,
                "annotations": []
              },
              "logprobs": null,
              "finish_reason": "stop"
            }
          ],
          "usage": {
            "prompt_tokens": 152,
            "completion_tokens": 9,
            "total_tokens": 161,
            "prompt_tokens_details": {
              "cached_tokens": 0,
              "audio_tokens": 0
            },
            "completion_tokens_details": {
              "reasoning_tokens": 0,
              "audio_tokens": 0,
              "accepted_prediction_tokens": 0,
              "rejected_prediction_tokens": 0
            }
          },
          "service_tier": "default",
          "system_fingerprint": "fp_560af6e559"
        }
        """);
}
