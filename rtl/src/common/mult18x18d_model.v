// Behavioural MULT18X18D (ECP5 sysDSP) for co-simulation, in the
// configurations spikescan instantiates: A and B registered on CLK0 or not
// registered (both alike), their 36-bit product (two's complement when
// SIGNEDA / SIGNEDB) registered on CLK0, no pipeline register, CE0 high,
// RST0 low. Other parameter values end the simulation with an error.
module MULT18X18D(
    input A0, A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, A11, A12, A13, A14, A15, A16, A17,
    input B0, B1, B2, B3, B4, B5, B6, B7, B8, B9, B10, B11, B12, B13, B14, B15, B16, B17,
    input C0, C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, C13, C14, C15, C16, C17,
    input SIGNEDA, SIGNEDB, SOURCEA, SOURCEB, CLK0, CE0, RST0,
    output P0, P1, P2, P3, P4, P5, P6, P7, P8, P9, P10, P11, P12, P13, P14, P15, P16, P17, P18, P19, P20, P21, P22, P23, P24, P25, P26, P27, P28, P29, P30, P31, P32, P33, P34, P35
);
    parameter REG_INPUTA_CLK = "NONE";
    parameter REG_INPUTB_CLK = "NONE";
    parameter REG_OUTPUT_CLK = "NONE";
    parameter REG_PIPELINE_CLK = "NONE";
    parameter GSR = "ENABLED";
    parameter RESETMODE = "SYNC";
    initial begin
        if (REG_INPUTA_CLK != REG_INPUTB_CLK
            || (REG_INPUTA_CLK != "CLK0" && REG_INPUTA_CLK != "NONE")
            || REG_OUTPUT_CLK != "CLK0" || REG_PIPELINE_CLK != "NONE") begin
            $display("MULT18X18D model: A and B on CLK0 or unregistered, the output on CLK0");
            $finish;
        end
    end
    reg [17:0] a_reg = 18'd0;
    reg [17:0] b_reg = 18'd0;
    reg [35:0] p_reg = 36'd0;
    wire [17:0] a_pins = {A17, A16, A15, A14, A13, A12, A11, A10, A9, A8, A7, A6, A5, A4, A3, A2, A1, A0};
    wire [17:0] b_pins = {B17, B16, B15, B14, B13, B12, B11, B10, B9, B8, B7, B6, B5, B4, B3, B2, B1, B0};
    wire [17:0] a_used = (REG_INPUTA_CLK == "NONE") ? a_pins : a_reg;
    wire [17:0] b_used = (REG_INPUTB_CLK == "NONE") ? b_pins : b_reg;
    wire [35:0] a_wide = {{18{SIGNEDA & a_used[17]}}, a_used};
    wire [35:0] b_wide = {{18{SIGNEDB & b_used[17]}}, b_used};
    always @(posedge CLK0) begin
        if (RST0) begin
            a_reg <= 18'd0;
            b_reg <= 18'd0;
            p_reg <= 36'd0;
        end else if (CE0) begin
            a_reg <= a_pins;
            b_reg <= b_pins;
            p_reg <= a_wide * b_wide;
        end
    end
    assign {P35, P34, P33, P32, P31, P30, P29, P28, P27, P26, P25, P24, P23, P22, P21, P20, P19, P18, P17, P16, P15, P14, P13, P12, P11, P10, P9, P8, P7, P6, P5, P4, P3, P2, P1, P0} = p_reg;
endmodule
